package dev.deepprob.gpu;

import dev.deepprob.engine.NDArray;

/** The fused optimiser updates on the device (optim.cl). */
final class ClOptim {
    private ClOptim() {}

    static void sgd(ClBackend b, NDArray p, NDArray g, NDArray buf, double lr, double momentum, double dampening, double weightDecay,
                    boolean nesterov, boolean firstStep) { throw ClRandom.notYet("sgdStep"); }

    static void adam(ClBackend b, NDArray p, NDArray g, NDArray m, NDArray v, NDArray vmax, long step, double lr, double beta1,
                     double beta2, double eps, double weightDecay, boolean decoupled) { throw ClRandom.notYet("adamStep"); }

    static void rmsprop(ClBackend b, NDArray p, NDArray g, NDArray sq, NDArray ga, NDArray buf, double lr, double alpha, double eps,
                        double weightDecay, double momentum) { throw ClRandom.notYet("rmspropStep"); }
}
