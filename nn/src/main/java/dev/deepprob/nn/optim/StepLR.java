package dev.deepprob.nn.optim;

/** Decays the rate by gamma every stepSize epochs: lr = base·γ^⌊epoch / stepSize⌋ (torch.optim.lr_scheduler.StepLR). */
public final class StepLR extends LRScheduler {
    private final int stepSize;
    private final double gamma;

    /** gamma = 0.1, as PyTorch. */
    public StepLR(Optimizer optimizer, int stepSize) { this(optimizer, stepSize, 0.1); }

    /**
     * @param stepSize epochs between decays (> 0)
     * @param gamma    the decay factor (finite, >= 0)
     */
    public StepLR(Optimizer optimizer, int stepSize, double gamma) {
        super("StepLR", optimizer);
        if (stepSize <= 0) throw new IllegalArgumentException("StepLR: step_size must be > 0, got " + stepSize);
        if (!(gamma >= 0) || !Double.isFinite(gamma)) throw new IllegalArgumentException("StepLR: gamma must be finite and >= 0, got " + gamma);
        this.stepSize = stepSize;
        this.gamma = gamma;
        start();
    }

    @Override
    protected double lrAt(double baseLr, int epoch) { return baseLr * Math.pow(gamma, epoch / stepSize); }
}
