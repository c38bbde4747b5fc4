package dev.deepprob.gpu;

import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;

/**
 * The random samplers on the device: to come (issue 10's second part). Each will reserve the counter blocks the CPU's
 * sampler would use ({@link Generator#reserveBlocks}) and run the same Philox4x32-10 stream in a kernel (random.cl),
 * so a seed gives the CPU's numbers up to float rounding. Until then every sampler says it is not implemented.
 */
final class ClRandom {
    private ClRandom() {}

    static UnsupportedOperationException notYet(String method) {
        return new UnsupportedOperationException("ClBackend." + method + ": not implemented yet");
    }

    static NDArray uniform(ClBackend b, Generator gen, DType t, double low, double high, int[] shape) { throw notYet("uniform"); }

    static NDArray normal(ClBackend b, Generator gen, DType t, double mean, double std, int[] shape) { throw notYet("normal"); }

    static NDArray randint(ClBackend b, Generator gen, long low, long high, int[] shape) { throw notYet("randint"); }

    static NDArray bernoulli(ClBackend b, Generator gen, double p, int[] shape) { throw notYet("bernoulli"); }

    static NDArray permutation(ClBackend b, Generator gen, int n) { throw notYet("permutation"); }

    static NDArray multinomial(ClBackend b, Generator gen, NDArray weights, int samples, boolean replacement) {
        throw notYet("multinomial");
    }

    static NDArray standardGamma(ClBackend b, Generator gen, NDArray alpha) { throw notYet("standardGamma"); }

    static NDArray poisson(ClBackend b, Generator gen, NDArray rate) { throw notYet("poisson"); }
}
