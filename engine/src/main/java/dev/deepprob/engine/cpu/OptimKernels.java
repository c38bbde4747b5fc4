package dev.deepprob.engine.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The CPU kernels of the fused optimiser updates (SGD, Adam/AdamW, RMSprop), one pass over each parameter, as
 * PyTorch's single-tensor implementations compute them (the nn optimisers reach them through the backend contract).
 * Arrays are contiguous from index 0; state arrays a variant does not use are null.
 */
public final class OptimKernels {
    private OptimKernels() {}

    /** torch.lerp's two-sided form, exact at both ends. */
    static float lerp(float a, float b, float w) { return Math.abs(w) < 0.5f ? a + w * (b - a) : b - (b - a) * (1 - w); }

    static double lerp(double a, double b, double w) { return Math.abs(w) < 0.5 ? a + w * (b - a) : b - (b - a) * (1 - w); }

    public static void adamF32(float[] p, float[] g, float[] m, float[] v, float[] vmax, int n, double stepSize, double bc2Sqrt, double decay,
                        double beta1, double beta2, double eps, double weightDecay, boolean decoupled) {
        float w1 = (float) (1 - beta1), b2 = (float) beta2, c2 = (float) (1 - beta2), wd = (float) weightDecay;
        float nss = (float) -stepSize, bsq = (float) bc2Sqrt, e = (float) eps, dec = (float) decay;
        boolean l2 = !decoupled && weightDecay != 0, dw = decoupled && weightDecay != 0;
        int i = vectorF32(p, g, m, v, vmax, n, w1, b2, c2, wd, nss, bsq, e, dec, l2, dw);
        scalarF32(p, g, m, v, vmax, i, n, w1, b2, c2, wd, nss, bsq, e, dec, l2, dw);
    }

    /*
     * The vector loops below compute exactly what the scalar loops compute, element by element and in the same order of
     * correctly rounded operations (no fused multiply-add; lerp's branch depends on the weight only), so an update is
     * bitwise the same whichever path an element takes. They return the first index left to the scalar loop.
     */

    static int vectorF32(float[] p, float[] g, float[] m, float[] v, float[] vmax, int n, float w1, float b2, float c2, float wd,
                         float nss, float bsq, float e, float dec, boolean l2, boolean dw) {
        VectorSpecies<Float> sp = FloatVector.SPECIES_PREFERRED;
        boolean near = Math.abs(w1) < 0.5f;
        FloatVector vw = FloatVector.broadcast(sp, near ? w1 : 1 - w1), vb2 = FloatVector.broadcast(sp, b2), vc2 = FloatVector.broadcast(sp, c2);
        FloatVector vwd = FloatVector.broadcast(sp, wd), vnss = FloatVector.broadcast(sp, nss), vbsq = FloatVector.broadcast(sp, bsq);
        FloatVector ve = FloatVector.broadcast(sp, e), vdec = FloatVector.broadcast(sp, dec);
        int i = 0;
        for (int bound = sp.loopBound(n); i < bound; i += sp.length()) {
            FloatVector pi = FloatVector.fromArray(sp, p, i), gi = FloatVector.fromArray(sp, g, i), mo = FloatVector.fromArray(sp, m, i);
            if (dw) pi = pi.mul(vdec);
            if (l2) gi = gi.add(vwd.mul(pi));
            FloatVector d = gi.sub(mo);
            FloatVector mi = near ? mo.add(vw.mul(d)) : gi.sub(d.mul(vw));
            FloatVector vi = FloatVector.fromArray(sp, v, i).mul(vb2).add(vc2.mul(gi).mul(gi));
            mi.intoArray(m, i);
            vi.intoArray(v, i);
            if (vmax != null) {
                vi = FloatVector.fromArray(sp, vmax, i).max(vi);
                vi.intoArray(vmax, i);
            }
            pi.add(vnss.mul(mi).div(vi.sqrt().div(vbsq).add(ve))).intoArray(p, i);
        }
        return i;
    }

    static void scalarF32(float[] p, float[] g, float[] m, float[] v, float[] vmax, int from, int n, float w1, float b2, float c2,
                          float wd, float nss, float bsq, float e, float dec, boolean l2, boolean dw) {
        for (int i = from; i < n; i++) {
            float pi = p[i], gi = g[i];
            if (dw) pi = pi * dec;
            if (l2) gi = gi + wd * pi;
            float mi = lerp(m[i], gi, w1);
            float vi = v[i] * b2 + c2 * gi * gi;
            m[i] = mi;
            v[i] = vi;
            if (vmax != null) {
                vi = Math.max(vmax[i], vi);
                vmax[i] = vi;
            }
            float denom = (float) Math.sqrt(vi) / bsq + e;
            p[i] = pi + nss * mi / denom;
        }
    }

    public static void adamF64(double[] p, double[] g, double[] m, double[] v, double[] vmax, int n, double stepSize, double bc2Sqrt, double decay,
                        double beta1, double beta2, double eps, double weightDecay, boolean decoupled) {
        double w1 = 1 - beta1, b2 = beta2, c2 = 1 - beta2, wd = weightDecay, nss = -stepSize, e = eps;
        boolean l2 = !decoupled && weightDecay != 0, dw = decoupled && weightDecay != 0;
        int i = vectorF64(p, g, m, v, vmax, n, w1, b2, c2, wd, nss, bc2Sqrt, e, decay, l2, dw);
        scalarF64(p, g, m, v, vmax, i, n, w1, b2, c2, wd, nss, bc2Sqrt, e, decay, l2, dw);
    }

    static int vectorF64(double[] p, double[] g, double[] m, double[] v, double[] vmax, int n, double w1, double b2, double c2,
                         double wd, double nss, double bsq, double e, double dec, boolean l2, boolean dw) {
        VectorSpecies<Double> sp = DoubleVector.SPECIES_PREFERRED;
        boolean near = Math.abs(w1) < 0.5;
        DoubleVector vw = DoubleVector.broadcast(sp, near ? w1 : 1 - w1), vb2 = DoubleVector.broadcast(sp, b2), vc2 = DoubleVector.broadcast(sp, c2);
        DoubleVector vwd = DoubleVector.broadcast(sp, wd), vnss = DoubleVector.broadcast(sp, nss), vbsq = DoubleVector.broadcast(sp, bsq);
        DoubleVector ve = DoubleVector.broadcast(sp, e), vdec = DoubleVector.broadcast(sp, dec);
        int i = 0;
        for (int bound = sp.loopBound(n); i < bound; i += sp.length()) {
            DoubleVector pi = DoubleVector.fromArray(sp, p, i), gi = DoubleVector.fromArray(sp, g, i), mo = DoubleVector.fromArray(sp, m, i);
            if (dw) pi = pi.mul(vdec);
            if (l2) gi = gi.add(vwd.mul(pi));
            DoubleVector d = gi.sub(mo);
            DoubleVector mi = near ? mo.add(vw.mul(d)) : gi.sub(d.mul(vw));
            DoubleVector vi = DoubleVector.fromArray(sp, v, i).mul(vb2).add(vc2.mul(gi).mul(gi));
            mi.intoArray(m, i);
            vi.intoArray(v, i);
            if (vmax != null) {
                vi = DoubleVector.fromArray(sp, vmax, i).max(vi);
                vi.intoArray(vmax, i);
            }
            pi.add(vnss.mul(mi).div(vi.sqrt().div(vbsq).add(ve))).intoArray(p, i);
        }
        return i;
    }

    static void scalarF64(double[] p, double[] g, double[] m, double[] v, double[] vmax, int from, int n, double w1, double b2,
                          double c2, double wd, double nss, double bsq, double e, double dec, boolean l2, boolean dw) {
        for (int i = from; i < n; i++) {
            double pi = p[i], gi = g[i];
            if (dw) pi = pi * dec;
            if (l2) gi = gi + wd * pi;
            double mi = lerp(m[i], gi, w1);
            double vi = v[i] * b2 + c2 * gi * gi;
            m[i] = mi;
            v[i] = vi;
            if (vmax != null) {
                vi = Math.max(vmax[i], vi);
                vmax[i] = vi;
            }
            double denom = Math.sqrt(vi) / bsq + e;
            p[i] = pi + nss * mi / denom;
        }
    }

    public static void sgdF32(float[] p, float[] g, float[] b, int n, double lr, boolean first, double momentum, double dampening,
                       double weightDecay, boolean nesterov) {
        float wd = (float) weightDecay, mu = (float) momentum, keep = (float) (1 - dampening), nlr = (float) -lr;
        boolean decay = weightDecay != 0, mom = momentum != 0, nest = nesterov;
        for (int i = 0; i < n; i++) {
            float gi = g[i];
            if (decay) gi = gi + wd * p[i];
            if (mom) {
                float bi = first ? gi : b[i] * mu + keep * gi;
                b[i] = bi;
                gi = nest ? gi + mu * bi : bi;
            }
            p[i] = p[i] + nlr * gi;
        }
    }

    public static void sgdF64(double[] p, double[] g, double[] b, int n, double lr, boolean first, double momentum, double dampening,
                       double weightDecay, boolean nesterov) {
        double wd = weightDecay, mu = momentum, keep = 1 - dampening, nlr = -lr;
        boolean decay = weightDecay != 0, mom = momentum != 0, nest = nesterov;
        for (int i = 0; i < n; i++) {
            double gi = g[i];
            if (decay) gi = gi + wd * p[i];
            if (mom) {
                double bi = first ? gi : b[i] * mu + keep * gi;
                b[i] = bi;
                gi = nest ? gi + mu * bi : bi;
            }
            p[i] = p[i] + nlr * gi;
        }
    }

    public static void rmspropF32(float[] p, float[] g, float[] sq, float[] ga, float[] buf, int n, double lr, double alpha, double eps,
                           double weightDecay, double momentum) {
        float a = (float) alpha, c = (float) (1 - alpha), e = (float) eps, wd = (float) weightDecay, mu = (float) momentum, nlr = (float) -lr;
        boolean decay = weightDecay != 0, cen = ga != null, mom = momentum > 0;
        for (int i = 0; i < n; i++) {
            float gi = g[i];
            if (decay) gi = gi + wd * p[i];
            float si = sq[i] * a + c * gi * gi;
            sq[i] = si;
            float avg;
            if (cen) {
                float gai = lerp(ga[i], gi, c);
                ga[i] = gai;
                avg = (float) Math.sqrt(si + -1f * gai * gai);
            } else {
                avg = (float) Math.sqrt(si);
            }
            avg = avg + e;
            if (mom) {
                float bi = buf[i] * mu + 1f * gi / avg;
                buf[i] = bi;
                p[i] = p[i] + nlr * bi;
            } else {
                p[i] = p[i] + nlr * gi / avg;
            }
        }
    }

    public static void rmspropF64(double[] p, double[] g, double[] sq, double[] ga, double[] buf, int n, double lr, double alpha, double eps,
                           double weightDecay, double momentum) {
        double a = alpha, c = 1 - alpha, e = eps, wd = weightDecay, mu = momentum, nlr = -lr;
        boolean decay = weightDecay != 0, cen = ga != null, mom = momentum > 0;
        for (int i = 0; i < n; i++) {
            double gi = g[i];
            if (decay) gi = gi + wd * p[i];
            double si = sq[i] * a + c * gi * gi;
            sq[i] = si;
            double avg;
            if (cen) {
                double gai = lerp(ga[i], gi, c);
                ga[i] = gai;
                avg = Math.sqrt(si - gai * gai);
            } else {
                avg = Math.sqrt(si);
            }
            avg = avg + e;
            if (mom) {
                double bi = buf[i] * mu + gi / avg;
                buf[i] = bi;
                p[i] = p[i] + nlr * bi;
            } else {
                p[i] = p[i] + nlr * gi / avg;
            }
        }
    }
}
