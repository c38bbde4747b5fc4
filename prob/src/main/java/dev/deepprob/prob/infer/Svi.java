package dev.deepprob.prob.infer;

import dev.deepprob.autograd.Autograd;
import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.Shapes;
import dev.deepprob.nn.optim.Optimizer;
import dev.deepprob.prob.Distribution;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Stochastic variational inference (Hoffman et al. 2013; as Pyro's SVI): each step builds q from the variational
 * parameters, estimates the negative ELBO with an {@link Elbo}, backpropagates and lets the optimiser update the
 * parameters. The parameters are free (unconstrained) leaf tensors; the q builder maps them onto the distribution's
 * constraints (e.g. {@code Transforms.biject(Constraints.positive())} for a scale). A q that is not
 * {@link dev.deepprob.prob.Reparameterizable} (Bernoulli, Categorical, Poisson latents) is fitted the same way: the
 * {@link Elbo} then carries the score-function estimator (with its baseline; a learned baseline's tensor goes in the
 * optimiser, not in {@code params}).
 *
 * <pre>{@code
 * Tensor loc = Tensor.zeros(DType.F64, 3).requiresGrad(true), rawScale = Tensor.zeros(DType.F64, 3).requiresGrad(true);
 * Svi<Normal> svi = new Svi<>(List.of(loc, rawScale), new Adam(List.of(loc, rawScale), 0.05),
 *         ps -> new Normal(ps.get(0), ps.get(1).exp()), Elbo.of(prior, logLik));
 * double[] losses = svi.run(2000, gen);
 * }</pre>
 * @param <Q> the variational family
 */
public final class Svi<Q extends Distribution> {
    private static final String NAME = "Svi";

    /** Told each step's loss (the estimate before the update). */
    @FunctionalInterface
    public interface StepListener {
        /**
         * @param step 1-based step number within {@link #run}
         * @param loss the scaled negative ELBO estimate of this step
         */
        void onStep(int step, double loss);
    }

    private final List<Tensor> params;
    private final Optimizer optimizer;
    private final Function<List<Tensor>, Q> guide;
    private final Elbo elbo;
    private long stepsTaken;

    /**
     * @param params    the variational parameters: leaf tensors requiring grad, all updated by the optimiser (for
     *                  {@code nn.Parameter}s pass {@code Parameter.tensors(module.namedParameters().values())} or the like)
     * @param optimizer any optimiser over (at least) these parameters
     * @param guide     the parameters (in the order given) to q; called once per step, so it should be cheap (build
     *                  distributions without validation, e.g. {@code new MultivariateNormal(loc, null, null, l, false)})
     * @param elbo      the objective
     */
    public Svi(List<Tensor> params, Optimizer optimizer, Function<List<Tensor>, Q> guide, Elbo elbo) {
        if (params == null || params.isEmpty()) throw new IllegalArgumentException(NAME + ": expected at least one variational parameter");
        if (optimizer == null) throw new IllegalArgumentException(NAME + ": optimizer must not be null");
        if (guide == null) throw new IllegalArgumentException(NAME + ": the q builder (guide) must not be null");
        if (elbo == null) throw new IllegalArgumentException(NAME + ": elbo must not be null");
        Set<Tensor> optimised = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Optimizer.ParamGroup g : optimizer.paramGroups()) optimised.addAll(g.params());
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            if (p == null) throw new IllegalArgumentException(NAME + ": parameter " + i + " is null");
            if (!p.isLeaf() || !p.requiresGrad()) throw new IllegalArgumentException(NAME + ": parameter " + i + " (shape " + Shapes.str(p.dims())
                    + ") must be a leaf tensor that requires grad" + (p.isLeaf() ? "; call requiresGrad(true) on it" : ", got the output of "
                    + p.gradFn() + "; optimise the leaf it came from"));
            if (!optimised.contains(p)) throw new IllegalArgumentException(NAME + ": parameter " + i + " (shape " + Shapes.str(p.dims())
                    + ") is not in the optimiser's parameter groups, so it would never be updated");
        }
        this.params = List.copyOf(params);
        this.optimizer = optimizer;
        this.guide = guide;
        this.elbo = elbo;
    }

    /** One step: zero the gradients, estimate the loss, backpropagate, update. Returns the loss before the update. */
    public double step(Generator gen) {
        if (gen == null) throw new IllegalArgumentException(NAME + ".step: generator must not be null");
        optimizer.zeroGrad();
        Q q = guide.apply(params);
        if (q == null) throw new IllegalStateException(NAME + ": the q builder returned null");
        Tensor loss = elbo.loss(q, gen);
        double l = loss.item();
        if (!Double.isFinite(l)) throw new IllegalStateException(NAME + ": the loss is " + l + " at step " + (stepsTaken + 1)
                + " (q = " + q + "); lower the learning rate, start q narrower, or check the log-likelihood");
        loss.backward();
        optimizer.step();
        stepsTaken++;
        return l;
    }

    /** Runs {@code steps} steps and returns the loss of each. */
    public double[] run(int steps, Generator gen) { return run(steps, gen, null); }

    /** Runs {@code steps} steps, telling the listener (which may be null) each loss; returns the loss history. */
    public double[] run(int steps, Generator gen, StepListener listener) {
        if (steps < 0) throw new IllegalArgumentException(NAME + ".run: steps must be >= 0, got " + steps);
        if (gen == null) throw new IllegalArgumentException(NAME + ".run: generator must not be null");
        double[] history = new double[steps];
        for (int k = 0; k < steps; k++) {
            history[k] = step(gen);
            if (listener != null) listener.onStep(k + 1, history[k]);
        }
        return history;
    }

    /** q at the current parameters, built without recording gradients (for reading off the fit). */
    public Q q() {
        try (Autograd.Scope _ = Autograd.noGrad()) {
            return guide.apply(params);
        }
    }

    /** The variational parameters. */
    public List<Tensor> params() { return params; }

    public Optimizer optimizer() { return optimizer; }

    public Elbo elbo() { return elbo; }

    /** Steps taken over all runs. */
    public long stepsTaken() { return stepsTaken; }
}
