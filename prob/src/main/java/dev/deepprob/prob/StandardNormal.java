package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.NDArray;

/**
 * The standard normal cdf Φ(z) in Tensor operations, with relative accuracy in the lower tail (the engine has erf
 * but no erfc, and ½(1 + erf(z/√2)) cancels: it is 2% off at z = -8 and exactly 0 from z = -8.5 on). Two branches
 * joined with {@code where}, each fed a clamped input so that the unused one cannot send NaN or ∞ back through
 * the gradient:
 * <ul>
 * <li>z &gt;= -2: ½(1 + erf(z/√2)), where Φ(z) &gt;= 0.023 so the cancellation costs under two digits (relative
 *     error below 1e-14 with the engine's erf);
 * <li>z &lt; -2, t = -z: Φ(-t) = t φ(t) / D(t) with the even contraction of Laplace's continued fraction for
 *     Mills' ratio (A&amp;S 7.1.14 and 26.2.14; DLMF 7.9.3), D(t) = t² + 1 - 1·2/(t² + 5 - 3·4/(t² + 9 - ...)),
 *     truncated after as many levels as the smallest t present needs (50 at t = 2, 6 beyond t = 10; truncation
 *     error below 4e-16 relative, checked against mpmath). φ(t) is computed as e^{-a²/2} e^{-(t-a)(t+a)/2} with
 *     a = t rounded to a multiple of 1/16, so a² is exact and the rounding of t² (relative error t²·eps in
 *     e^{-t²/2}) does not grow with t; a is a constant, and the derivative of the product is still -t φ(t).
 * </ul>
 * The continued fraction runs only on the elements below -2 (gathered, then scattered into the erf branch's
 * result, which is zeroed there by {@code where} so no gradient reaches it), with t clamped to [2, 40] (Φ(-40)
 * and φ(40) are 0 in double precision): every gradient is finite for finite z and for ±∞, and an input with no
 * element below -2 costs what the erf form did.
 */
final class StandardNormal {
    private StandardNormal() {}

    /** Below z = -T0 the continued fraction replaces erf. */
    private static final double T0 = 2;
    /** φ(t) underflows to 0 (in F64 and F32) well before this; clamping keeps -∞ finite inside the tail branch. */
    private static final double T_MAX = 40;
    /** Levels of the contracted fraction for t at or above each threshold (truncation error below 4e-16 relative). */
    private static final double[] FROM = {10, 8, 6, 5, 4, 3, 2.5, 2};
    private static final int[] LEVELS = {6, 8, 10, 12, 17, 26, 34, 50};
    private static final double INV_SQRT_2 = 1 / Math.sqrt(2);
    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

    /** Φ(z) elementwise, of z's shape and dtype, differentiable in z to any order. */
    static Tensor cdf(Tensor z) {
        Tensor upper = z.mul(INV_SQRT_2).erf().add(1).mul(0.5);
        double[] zs = z.data().toDoubleArray();
        long[] idx = new long[zs.length];
        int k = 0;
        double tMin = Double.POSITIVE_INFINITY;
        for (int i = 0; i < zs.length; i++) {
            if (zs[i] < -T0) {
                idx[k++] = i;
                tMin = Math.min(tMin, -zs[i]);
            }
        }
        if (k == 0) return upper;
        // the tail branch runs on the tail elements only: gathered from z, scattered into the erf branch's result
        // where that has been zeroed (0 + tail is exact, and no gradient reaches the erf branch there)
        NDArray index = NDArray.of(java.util.Arrays.copyOf(idx, k), k);
        int n = zs.length;
        Tensor t = z.reshape(n).indexSelect(0, index).neg().clamp(T0, T_MAX);
        Tensor tail = lowerTail(t, levels(tMin));
        Tensor rest = Tensor.where(z.data().lt(-T0), Tensor.scalar(z.dtype(), 0), upper);
        return rest.reshape(n).scatterAdd(0, index, tail).reshape(z.dims());
    }

    /** Below this probability the quantile comes from the ndtri kernel instead of erf⁻¹(2p - 1), which is exact only from here up. */
    private static final double P_TAIL = 0.25;
    private static final double SQRT_2 = Math.sqrt(2);

    /**
     * Φ⁻¹(p) elementwise, to a few ulp from the smallest double up to 1 - 2^-53, differentiable in p. For p &gt;= 1/4 it is
     * √2 erf⁻¹(2p - 1), where 2p - 1 is exact, differentiable to any order through erf⁻¹'s rule. Below, 2p - 1 rounds
     * (Φ⁻¹(1e-16) came out -7.66 instead of -8.22, and -inf below 1e-17), so the value is the engine's ndtri kernel z0,
     * and the derivatives come from two Newton steps on Φ, z1 = N(z0), z2 = N(z1) with N(z) = z + (p - Φ(z))/φ(z), added
     * as z2 - z2.detach(): each step makes one more order exact (N' = 0 at the root), so the first and second derivatives
     * in p (1/φ and z/φ²) are right, while the value stays exactly z0. Both branches get safe inputs, so the unused one
     * sends no NaN into the gradient; p = 0 gives -inf with a zero gradient.
     */
    static Tensor icdf(Tensor p) {
        NDArray pd = p.data(), tail = pd.lt(P_TAIL);
        if (!Params.anyTrue(tail)) return p.mul(2).sub(1).erfinv().mul(SQRT_2);
        Tensor half = Tensor.full(p.dtype(), 0.5, p.dims());
        Tensor central = Tensor.where(tail, half, p).mul(2).sub(1).erfinv().mul(SQRT_2);
        NDArray inner = tail.and(pd.gt(0));
        Tensor pt = Tensor.where(inner, p, Tensor.full(p.dtype(), 0.1, p.dims()));
        NDArray z0 = pt.data().ndtri();
        Tensor z1 = newtonStep(Tensor.of(z0), pt), z2 = newtonStep(z1, pt);
        Tensor tailValue = Tensor.of(z0).add(z2.sub(z2.detach()));
        Tensor negInf = Tensor.full(p.dtype(), Double.NEGATIVE_INFINITY, p.dims());
        return Tensor.where(tail, Tensor.where(inner, tailValue, negInf), central);
    }

    /** z + (p - Φ(z))/φ(z), φ(z) = e^(-z²/2)/√(2π). */
    private static Tensor newtonStep(Tensor z, Tensor p) {
        Tensor density = z.square().mul(-0.5).exp().mul(INV_SQRT_2PI);
        return z.add(p.sub(cdf(z)).div(density));
    }

    /** The fewest levels accurate for every t >= tMin. */
    static int levels(double tMin) {
        for (int i = 0; i < FROM.length; i++) if (tMin >= FROM[i]) return LEVELS[i];
        return LEVELS[LEVELS.length - 1];
    }

    /** Φ(-t) = t φ(t) / D(t) for t in [2, 40], the fraction truncated after {@code levels} levels. */
    static Tensor lowerTail(Tensor t, int levels) {
        Tensor t2 = t.square();
        // D_N = t² + 4N + 1, then D_n = t² + 4n + 1 - (2n + 1)(2n + 2)/D_{n+1} down to D_0
        Tensor d = t2.add(4.0 * levels + 1);
        for (int n = levels - 1; n >= 0; n--) {
            d = Tensor.scalar(t.dtype(), -(2.0 * n + 1) * (2.0 * n + 2)).div(d).add(t2).add(4.0 * n + 1);
        }
        NDArray a = t.data().mul(16).round().div(16);
        Tensor ea = Tensor.of(a.square().mul(-0.5).exp());               // e^{-a²/2}, a constant
        Tensor rest = t.sub(Tensor.of(a)).mul(t.add(Tensor.of(a))).mul(-0.5).exp();
        return t.mul(ea).mul(rest).div(d).mul(INV_SQRT_2PI);
    }
}
