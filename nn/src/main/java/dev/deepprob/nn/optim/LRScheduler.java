package dev.deepprob.nn.optim;

import java.util.ArrayList;
import java.util.List;

/**
 * A learning-rate schedule over an optimiser's groups (torch.optim.lr_scheduler): each group's rate is a closed
 * form of its base rate (the rate when the schedule was made) and the epoch count, which {@link #step()}
 * advances. Construction sets the epoch-0 rate, as PyTorch's does; call {@code step()} after each epoch's
 * {@code optimizer.step()}.
 */
public abstract class LRScheduler {
    private final Optimizer optimizer;
    private final double[] baseLrs;
    private int epoch;

    /** A schedule over the optimiser's current groups, starting at epoch 0. */
    protected LRScheduler(String name, Optimizer optimizer) {
        if (optimizer == null) throw new IllegalArgumentException(name + ": optimizer must not be null");
        this.optimizer = optimizer;
        List<Optimizer.ParamGroup> gs = optimizer.paramGroups();
        baseLrs = new double[gs.size()];
        for (int i = 0; i < baseLrs.length; i++) baseLrs[i] = gs.get(i).lr();
    }

    /** Sets the epoch-0 rates; subclasses call it at the end of their constructor, once their fields are set. */
    protected final void start() { apply(); }

    /** Advances one epoch and sets each group's rate to the closed form. */
    public final void step() {
        epoch++;
        apply();
    }

    private void apply() {
        List<Optimizer.ParamGroup> gs = optimizer.paramGroups();
        for (int i = 0; i < baseLrs.length; i++) gs.get(i).setLr(Math.max(0, lrAt(baseLrs[i], epoch)));
    }

    /** The rate of a group with the given base rate at the given epoch. */
    protected abstract double lrAt(double baseLr, int epoch);

    /** The number of {@link #step()} calls so far. */
    public final int lastEpoch() { return epoch; }

    /** The rates set by the last step (or by construction), one per group. */
    public final List<Double> lastLr() {
        List<Double> out = new ArrayList<>();
        List<Optimizer.ParamGroup> gs = optimizer.paramGroups();
        for (int i = 0; i < baseLrs.length; i++) out.add(gs.get(i).lr());
        return out;
    }

    /** The base rates (each group's rate when the schedule was made). */
    public final List<Double> baseLrs() {
        List<Double> out = new ArrayList<>();
        for (double b : baseLrs) out.add(b);
        return out;
    }
}
