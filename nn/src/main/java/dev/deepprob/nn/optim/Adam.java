package dev.deepprob.nn.optim;

import dev.deepprob.autograd.Tensor;

/**
 * Adam (Kingma and Ba 2015) as torch.optim.Adam: weight decay, when set, is L2 regularisation added to the gradient
 * (use {@link AdamW} for decoupled decay).
 * Bias-corrected moments; ε is added after the square root of the corrected second moment, as PyTorch does;
 * optional AMSGrad. F32 parameters are updated in float arithmetic. See {@code AdamRule} for the update.
 */
public final class Adam extends AdamBase {
    /** lr = 1e-3 and PyTorch's other defaults (betas 0.9, 0.999; eps 1e-8; weight decay 0). */
    public Adam(Iterable<Tensor> params) { this(params, 1e-3); }

    /** The given lr and PyTorch's other defaults. */
    public Adam(Iterable<Tensor> params, double lr) { this(params, lr, 0.9, 0.999, 1e-8, 0, false); }

    private Adam(Iterable<Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {
        super("Adam", params, lr, beta1, beta2, eps, weightDecay, amsgrad, false);
    }

    /** A builder starting from PyTorch's defaults (weight decay 0, as L2 added to the gradient). */
    public static Builder<Adam> builder() { return new Builder<>("Adam", 0, Adam::new); }
}
