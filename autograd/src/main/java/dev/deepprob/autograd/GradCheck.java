package dev.deepprob.autograd;

import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Checks reverse-mode derivatives against central finite differences along one random direction, recursively
 * for higher orders (the scheme of JAX's {@code check_grads}): order 1 compares ⟨u, J v⟩ from differences
 * with ⟨Jᵀu, v⟩ from the VJP; order 2 applies the same check to the function x ↦ ⟨Jᵀ(x) u, w⟩, built with
 * {@code createGraph}. Use float64 inputs.
 */
public final class GradCheck {
    private GradCheck() {}

    /**
     * The finite-difference step {@code eps} and the tolerances of a check: a derivative passes when
     * |analytic - numeric| &le; atol + rtol·max(|analytic|, |numeric|). {@link #defaults()} suits F64 inputs.
     */
    public record Options(double eps, double atol, double rtol) {
        public static Options defaults() { return new Options(1e-6, 1e-6, 1e-5); }
    }

    /**
     * Throws {@link AssertionError} naming the order and both numbers when the derivative of f at inputs up to
     * {@code order} disagrees with finite differences.
     */
    public static void check(Function<List<Tensor>, Tensor> f, List<Tensor> inputs, int order, Options opt, Generator gen) {
        if (order < 1) throw new IllegalArgumentException("GradCheck.check: order must be >= 1, got " + order);
        for (Tensor x : inputs) {
            if (x.dtype() != DType.F64) throw new IllegalArgumentException("GradCheck.check: inputs must be F64 for finite differences, got " + x.dtype());
        }
        checkVjp(f, inputs, opt, gen, 1);
        Function<List<Tensor>, Tensor> g = f;
        List<Tensor> xs = inputs;
        for (int k = 2; k <= order; k++) {
            g = vjpFunction(g, xs, gen);
            checkVjp(g, xs, opt, gen, k);
        }
    }

    /** x ↦ Σᵢ ⟨(Jᵀu)ᵢ, wᵢ⟩ for fixed random u and w: a scalar whose gradient is a second-order quantity. */
    private static Function<List<Tensor>, Tensor> vjpFunction(Function<List<Tensor>, Tensor> f, List<Tensor> at, Generator gen) {
        Tensor y0;
        try (Autograd.Scope s = Autograd.noGrad()) {
            y0 = f.apply(detached(at));
        }
        Tensor u = randnLike(gen, y0);
        List<Tensor> w = new ArrayList<>();
        for (Tensor x : at) w.add(randnLike(gen, x));
        return xs -> {
            List<Tensor> xr = new ArrayList<>();
            for (Tensor x : xs) xr.add(x.requiresGrad() ? x : Tensor.of(x.data()).requiresGrad(true));
            Tensor y;
            try (Autograd.Scope s = Autograd.enableGrad()) {
                y = f.apply(xr);
                if (!y.requiresGrad()) return Tensor.zeros(DType.F64);
                // an input f does not use has a zero gradient: allowUnused, and its term is left out
                List<Tensor> gs = Autograd.grad(List.of(y), xr, List.of(u), true, true, true);
                Tensor acc = null;
                for (int i = 0; i < gs.size(); i++) {
                    if (gs.get(i) == null) continue;
                    Tensor term = gs.get(i).mul(w.get(i)).sum();
                    acc = acc == null ? term : acc.add(term);
                }
                return acc != null ? acc : Tensor.zeros(DType.F64);
            }
        };
    }

    /** F64 standard normals of x's shape on x's device: the same numbers for a seed whatever the device. */
    private static Tensor randnLike(Generator gen, Tensor x) {
        return Tensor.of(NDArray.randn(gen, DType.F64, x.dims()).to(x.backend()));
    }

    private static List<Tensor> detached(List<Tensor> xs) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor x : xs) out.add(Tensor.of(x.data()));
        return out;
    }

    private static void checkVjp(Function<List<Tensor>, Tensor> f, List<Tensor> at, Options opt, Generator gen, int order) {
        List<Tensor> v = new ArrayList<>();
        for (Tensor x : at) v.add(randnLike(gen, x));
        // finite differences of ⟨u, f⟩ along v
        Tensor y0;
        try (Autograd.Scope s = Autograd.noGrad()) {
            y0 = f.apply(detached(at));
        }
        Tensor u = randnLike(gen, y0);
        double fd;
        {
            List<Tensor> plus = new ArrayList<>(), minus = new ArrayList<>();
            for (int i = 0; i < at.size(); i++) {
                NDArray x = at.get(i).data(), d = v.get(i).data().mul(opt.eps());
                plus.add(Tensor.of(x.add(d)));
                minus.add(Tensor.of(x.sub(d)));
            }
            double fp = dot(f.apply(plus).data(), u.data()), fm = dot(f.apply(minus).data(), u.data());
            fd = (fp - fm) / (2 * opt.eps());
        }
        // reverse mode
        List<Tensor> xr = new ArrayList<>();
        for (Tensor x : at) xr.add(Tensor.of(x.data()).requiresGrad(true));
        double ad = 0;
        try (Autograd.Scope s = Autograd.enableGrad()) {
            Tensor y = f.apply(xr);
            if (y.requiresGrad()) {
                List<Tensor> gs = Autograd.grad(List.of(y), xr, List.of(u), false, false, true);
                for (int i = 0; i < gs.size(); i++) if (gs.get(i) != null) ad += dot(gs.get(i).data(), v.get(i).data());
            }
        }
        if (!(Math.abs(fd - ad) <= opt.atol() + opt.rtol() * Math.max(Math.abs(fd), Math.abs(ad)))) {
            throw new AssertionError("GradCheck: order " + order + " derivative disagrees with finite differences: reverse mode "
                    + ad + ", finite differences " + fd + " (|diff| " + Math.abs(fd - ad) + ", atol " + opt.atol() + ", rtol " + opt.rtol() + ")");
        }
    }

    private static double dot(NDArray a, NDArray b) {
        return a.to(DType.F64).mul(b.to(DType.F64)).sum().item();
    }
}
