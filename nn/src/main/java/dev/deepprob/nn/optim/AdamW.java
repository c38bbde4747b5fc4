package dev.deepprob.nn.optim;

import dev.deepprob.autograd.Tensor;

/**
 * AdamW (Loshchilov and Hutter 2019) as torch.optim.AdamW: Adam with decoupled weight decay, θ ← θ·(1 - lr·wd)
 * before the Adam step; default weight decay 1e-2.
 * Bias-corrected moments; ε is added after the square root of the corrected second moment, as PyTorch does;
 * optional AMSGrad. F32 parameters are updated in float arithmetic. See {@code AdamRule} for the update.
 */
public final class AdamW extends AdamBase {
    /** lr = 1e-3 and PyTorch's other defaults (betas 0.9, 0.999; eps 1e-8; weight decay 1e-2). */
    public AdamW(Iterable<Tensor> params) { this(params, 1e-3); }

    /** The given lr and PyTorch's other defaults. */
    public AdamW(Iterable<Tensor> params, double lr) { this(params, lr, 0.9, 0.999, 1e-8, 1e-2, false); }

    private AdamW(Iterable<Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {
        super("AdamW", params, lr, beta1, beta2, eps, weightDecay, amsgrad, true);
    }

    /** A builder starting from PyTorch's defaults (weight decay 1e-2, decoupled). */
    public static Builder<AdamW> builder() { return new Builder<>("AdamW", 1e-2, AdamW::new); }
}
