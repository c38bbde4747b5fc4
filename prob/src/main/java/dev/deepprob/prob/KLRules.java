package dev.deepprob.prob;

/**
 * The closed forms registered with {@link KL} at start-up. Each rule cites its source.
 */
final class KLRules {
    private KLRules() {}

    static void registerAll() {
        UnivariateKL.registerAll();
        MultivariateKL.registerAll();
        CrossFamilyKL.registerAll();
    }
}
