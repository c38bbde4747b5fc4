package dev.deepprob.nn.optim;

/**
 * Cosine annealing (Loshchilov and Hutter 2017, SGDR without restarts), PyTorch's closed form:
 * lr = η_min + (base - η_min)·(1 + cos(π·epoch / T_max)) / 2. Past T_max the cosine continues (rising again),
 * as the closed form in PyTorch does.
 */
public final class CosineAnnealingLR extends LRScheduler {
    private final int tMax;
    private final double etaMin;

    /** η_min = 0. */
    public CosineAnnealingLR(Optimizer optimizer, int tMax) { this(optimizer, tMax, 0); }

    /**
     * @param tMax   the number of epochs of the half cosine (> 0)
     * @param etaMin the minimum rate (finite, >= 0)
     */
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) {
        super("CosineAnnealingLR", optimizer);
        if (tMax <= 0) throw new IllegalArgumentException("CosineAnnealingLR: T_max must be > 0, got " + tMax);
        if (!(etaMin >= 0) || !Double.isFinite(etaMin)) throw new IllegalArgumentException("CosineAnnealingLR: eta_min must be finite and >= 0, got " + etaMin);
        this.tMax = tMax;
        this.etaMin = etaMin;
        start();
    }

    @Override
    protected double lrAt(double baseLr, int epoch) {
        return etaMin + (baseLr - etaMin) * (1 + Math.cos(Math.PI * epoch / tMax)) / 2;
    }
}
