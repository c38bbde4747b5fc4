package dev.deepprob.gpu;

import dev.deepprob.engine.DType;
import dev.deepprob.engine.NDArray;

/**
 * The fused optimiser updates on the device (optim.cl): the scalars are derived and rounded to the parameter's dtype
 * here exactly as engine/cpu/OptimKernels does, and the kernels repeat its per-element arithmetic, so a device step
 * equals the CPU's. Operands were checked by {@code Fused} (contiguous, offset 0, one dtype, one device).
 */
final class ClOptim {
    private ClOptim() {}

    /** A state buffer the variant does not use: any buffer of the right type (never read). */
    private static NDArray orParam(NDArray a, NDArray param) { return a != null ? a : param; }

    private static void bump(NDArray... arrays) {
        for (NDArray a : arrays) if (a != null) a.bumpVersion();
    }

    static void sgd(ClBackend b, NDArray p, NDArray g, NDArray buf, double lr, double momentum, double dampening, double weightDecay,
                    boolean nesterov, boolean firstStep) {
        b.storage("sgdStep", p);
        b.storage("sgdStep", g);
        if (buf != null) b.storage("sgdStep", buf);
        DType t = p.dtype();
        int n = p.size();
        b.ctx().launch("optim.cl", t, "sgd").buf(p).buf(g).buf(orParam(buf, p)).i32(n).scalar(t, -lr).i32(firstStep ? 1 : 0)
                .scalar(t, momentum).scalar(t, 1 - dampening).scalar(t, weightDecay).i32(weightDecay != 0 ? 1 : 0)
                .i32(momentum != 0 ? 1 : 0).i32(nesterov ? 1 : 0).run(n);
        bump(p, buf);
    }

    static void adam(ClBackend b, NDArray p, NDArray g, NDArray m, NDArray v, NDArray vmax, long step, double lr, double beta1,
                     double beta2, double eps, double weightDecay, boolean decoupled) {
        for (NDArray a : new NDArray[]{p, g, m, v}) b.storage("adamStep", a);
        if (vmax != null) b.storage("adamStep", vmax);
        // CpuBackend.adamStep's scalars, then OptimKernels.adamF32/adamF64's
        double bc1 = 1 - Math.pow(beta1, step), bc2 = 1 - Math.pow(beta2, step);
        double stepSize = lr / bc1, bc2Sqrt = Math.sqrt(bc2), decay = decoupled ? 1 - lr * weightDecay : 1;
        DType t = p.dtype();
        int n = p.size();
        b.ctx().launch("optim.cl", t, "adam").buf(p).buf(g).buf(m).buf(v).buf(orParam(vmax, v)).i32(vmax != null ? 1 : 0).i32(n)
                .scalar(t, 1 - beta1).scalar(t, beta2).scalar(t, 1 - beta2).scalar(t, weightDecay).scalar(t, -stepSize)
                .scalar(t, bc2Sqrt).scalar(t, eps).scalar(t, decay).i32(!decoupled && weightDecay != 0 ? 1 : 0)
                .i32(decoupled && weightDecay != 0 ? 1 : 0).run(n);
        bump(p, m, v, vmax);
    }

    static void rmsprop(ClBackend b, NDArray p, NDArray g, NDArray sq, NDArray ga, NDArray buf, double lr, double alpha, double eps,
                        double weightDecay, double momentum) {
        for (NDArray a : new NDArray[]{p, g, sq}) b.storage("rmspropStep", a);
        if (ga != null) b.storage("rmspropStep", ga);
        if (buf != null) b.storage("rmspropStep", buf);
        DType t = p.dtype();
        int n = p.size();
        b.ctx().launch("optim.cl", t, "rmsprop").buf(p).buf(g).buf(sq).buf(orParam(ga, p)).buf(orParam(buf, p)).i32(n)
                .scalar(t, alpha).scalar(t, 1 - alpha).scalar(t, eps).scalar(t, weightDecay).scalar(t, momentum).scalar(t, -lr)
                .i32(weightDecay != 0 ? 1 : 0).i32(ga != null ? 1 : 0).i32(momentum > 0 ? 1 : 0).run(n);
        bump(p, sq, ga, buf);
    }
}
