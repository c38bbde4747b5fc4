package dev.deepprob.examples;

// README:begin first-look
import dev.deepprob.autograd.*;
import dev.deepprob.engine.*;

import java.util.List;
import java.util.function.Function;
// README:end first-look

/**
 * The README's "A first look": tensors, a loss, its gradient by backward, second derivatives through a gradient built
 * with createGraph, the Hessian, one optimiser step under noGrad, and the error a bad shape gets. The test holds the
 * README's code and printed output to this class, so what the README shows is what runs.
 */
public final class FirstLook {
    private FirstLook() {}

    public static void main(String[] args) {
        // README:begin first-look
        Generator gen = new Generator(42);                       // same seed, same numbers, at any thread count
        Tensor x = Tensor.randn(gen, DType.F64, 100, 3);
        Tensor y = Tensor.of(x.data().sum(new int[]{1}, true).gt(0).to(DType.F64));   // label: is the row's sum > 0?
        Tensor w = Tensor.zeros(DType.F64, 3, 1).requiresGrad(true);

        // BCE with logits, written stably: mean of softplus(z) - y z, z = x w
        Function<Tensor, Tensor> bce = v -> {
            Tensor z = x.matmul(v);
            return z.softplus().sub(y.mul(z)).mean();
        };
        Tensor loss = bce.apply(w);
        loss.backward();                                         // w.grad() holds dloss/dw; the graph is freed
        double[] g0 = w.grad().toDoubleArray();
        System.out.printf("loss %.6f, dloss/dw [%.4f, %.4f, %.4f]%n", loss.item(), g0[0], g0[1], g0[2]);

        // second order: a new forward pass, differentiated with createGraph, so the gradient is differentiable again
        Tensor g = Autograd.grad(bce.apply(w), List.of(w), true).getFirst();
        Tensor hg = Autograd.grad(g.square().sum(), List.of(w), false).getFirst();   // d|g|²/dw = 2 H g
        Tensor h = Autograd.hessian(bce, w).reshape(3, 3);      // (3, 1, 3, 1) viewed as (3, 3)
        Tensor xtx = x.t().matmul(x).div(4 * 100);              // at w = 0 every sigmoid is 1/2: H = XᵀX / (4n)
        System.out.printf("Hessian = XᵀX/(4n): %b, d|g|²/dw = 2Hg: %b%n",
                h.sub(xtx).abs().max().item() < 1e-12,
                hg.sub(h.matmul(g).mul(2)).abs().max().item() < 1e-12);

        try (Autograd.Scope _ = Autograd.noGrad()) {             // an optimiser step
            w.addInPlace(w.grad(), -0.5);
        }
        System.out.printf("loss after one step %.6f%n", bce.apply(w).item());

        try {
            Tensor.zeros(DType.F64, 3, 4).matmul(Tensor.zeros(DType.F64, 5, 2));
        } catch (IllegalArgumentException e) {
            System.out.println(e.getMessage());                  // errors name the operation and the shapes
        }
        // README:end first-look
    }
}
