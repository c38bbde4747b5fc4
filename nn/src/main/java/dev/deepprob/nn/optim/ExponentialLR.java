package dev.deepprob.nn.optim;

/** Decays the rate by gamma every epoch: lr = base·γ^epoch (torch.optim.lr_scheduler.ExponentialLR). */
public final class ExponentialLR extends LRScheduler {
    private final double gamma;

    /** @param gamma the decay factor per epoch (finite, >= 0) */
    public ExponentialLR(Optimizer optimizer, double gamma) {
        super("ExponentialLR", optimizer);
        if (!(gamma >= 0) || !Double.isFinite(gamma)) throw new IllegalArgumentException("ExponentialLR: gamma must be finite and >= 0, got " + gamma);
        this.gamma = gamma;
        start();
    }

    @Override
    protected double lrAt(double baseLr, int epoch) { return baseLr * Math.pow(gamma, epoch); }
}
