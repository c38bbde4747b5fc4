package dev.deepprob.engine;

import java.util.Arrays;

/**
 * The fused optimiser updates, one pass over each parameter as PyTorch's single-tensor implementations: the
 * operands are checked here, once, and the update runs on the parameter's backend ({@link Backend#sgdStep},
 * {@link Backend#adamStep}, {@link Backend#rmspropStep}). Every array is written in place and must be contiguous,
 * of the parameter's shape, dtype and device; state arrays a variant does not use are null.
 */
public final class Fused {
    private Fused() {}

    /**
     * torch.optim.SGD's step: g += wd·θ; b = g (first step) or μb + (1 - dampening)g; g = g + μb (Nesterov) or b;
     * θ -= lr·g. {@code momentumBuffer} is null without momentum.
     */
    public static void sgd(NDArray param, NDArray grad, NDArray momentumBuffer, double lr, double momentum, double dampening,
                           double weightDecay, boolean nesterov, boolean firstStep) {
        Backend b = check("sgd", param, grad, momentumBuffer);
        if (momentum != 0 && momentumBuffer == null) throw new IllegalArgumentException("sgd: momentum " + momentum + " needs a momentum buffer");
        b.sgdStep(param, grad, momentumBuffer, lr, momentum, dampening, weightDecay, nesterov, firstStep);
    }

    /**
     * Adam's step t (t ≥ 1), with L2 decay added to the gradient, or decoupled decay θ ← θ(1 - lr·wd) (AdamW) when
     * {@code decoupled}; {@code maxExpAvgSq} non-null selects amsgrad (Kingma and Ba 2015; Reddi et al. 2018;
     * Loshchilov and Hutter 2019).
     */
    public static void adam(NDArray param, NDArray grad, NDArray expAvg, NDArray expAvgSq, NDArray maxExpAvgSq, long step,
                            double lr, double beta1, double beta2, double eps, double weightDecay, boolean decoupled) {
        if (expAvg == null || expAvgSq == null) throw new IllegalArgumentException("adam: exp_avg and exp_avg_sq must not be null");
        if (step < 1) throw new IllegalArgumentException("adam: step must be >= 1, got " + step);
        Backend b = check("adam", param, grad, expAvg, expAvgSq, maxExpAvgSq);
        b.adamStep(param, grad, expAvg, expAvgSq, maxExpAvgSq, step, lr, beta1, beta2, eps, weightDecay, decoupled);
    }

    /** RMSprop's step (torch.optim.RMSprop); {@code gradAvg} non-null selects the centered variant, {@code momentumBuffer} momentum. */
    public static void rmsprop(NDArray param, NDArray grad, NDArray squareAvg, NDArray gradAvg, NDArray momentumBuffer, double lr,
                               double alpha, double eps, double weightDecay, double momentum) {
        if (squareAvg == null) throw new IllegalArgumentException("rmsprop: square_avg must not be null");
        if (momentum > 0 && momentumBuffer == null) throw new IllegalArgumentException("rmsprop: momentum " + momentum + " needs a momentum buffer");
        Backend b = check("rmsprop", param, grad, squareAvg, gradAvg, momentumBuffer);
        b.rmspropStep(param, grad, squareAvg, gradAvg, momentumBuffer, lr, alpha, eps, weightDecay, momentum);
    }

    private static Backend check(String op, NDArray param, NDArray... others) {
        if (param == null) throw new IllegalArgumentException(op + ": param must not be null");
        if (!param.dtype.isFloating()) throw new IllegalArgumentException(op + ": expected an F32 or F64 parameter, got " + param.dtype);
        requireDense(op, "param", param);
        for (int i = 0; i < others.length; i++) {
            NDArray o = others[i];
            if (o == null) {
                if (i == 0) throw new IllegalArgumentException(op + ": grad must not be null");
                continue;
            }
            String what = i == 0 ? "grad" : "state " + i;
            if (o.dtype != param.dtype || !Arrays.equals(o.shape, param.shape))
                throw new IllegalArgumentException(op + ": " + what + " is " + o.dtype + " " + Shapes.str(o.shape) + ", expected "
                        + param.dtype + " " + Shapes.str(param.shape) + " as the parameter");
            requireDense(op, what, o);
            param.backendWith(op, o);
            if (o.storage == param.storage) throw new IllegalArgumentException(op + ": " + what + " shares storage with the parameter");
        }
        return param.backend();
    }

    private static void requireDense(String op, String what, NDArray a) {
        if (!a.isContiguous() || a.offset != 0) throw new IllegalArgumentException(op + ": " + what + " must be contiguous at offset 0, got "
                + Shapes.str(a.shape) + " with strides " + Arrays.toString(a.strides) + " at offset " + a.offset);
    }
}
