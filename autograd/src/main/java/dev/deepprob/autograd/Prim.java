package dev.deepprob.autograd;

import dev.deepprob.engine.Backend;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.NDArray;
import dev.deepprob.engine.Shapes;
import dev.deepprob.engine.UnaryOp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The table of differentiable primitives: each record states its forward (one engine kernel) and its
 * vector-Jacobian product side by side. Every VJP is written in {@link Tensor} operations, so a backward pass
 * can itself be recorded and differentiated again (higher-order gradients cost nothing extra).
 * Broadcasting is not handled here: binary primitives see inputs of one shape, made so by an explicit
 * {@link Expand} whose VJP sums back. Non-differentiable operands (indices, masks) are record fields, not inputs.
 */
sealed interface Prim {
    /** The forward kernel on the inputs' arrays. */
    NDArray forward(NDArray[] x);

    /**
     * Gradients of the inputs given the output's gradient {@code g}, the inputs {@code x} and the output {@code y}.
     * An entry may be null where that input gets no gradient.
     */
    Tensor[] vjp(Tensor g, Tensor[] x, Tensor y);

    /** Arrays kept as record fields (masks, indices) whose later change would make the VJP wrong; backward checks them. */
    default NDArray[] saved() { return NO_ARRAYS; }

    NDArray[] NO_ARRAYS = new NDArray[0];

    /** The name used in error messages and anomaly reports. */
    default String opName() {
        String n = getClass().getSimpleName();
        return Character.toLowerCase(n.charAt(0)) + n.substring(1);
    }

    /**
     * Why input {@code i} has no derivative (PyTorch's {@code not_implemented}), or null when it has one. The engine
     * throws this reason only when a gradient would have to flow into that input (it requires grad and leads to a
     * requested input), so evaluations with constant inputs, or gradients requested of the other inputs, still work.
     */
    default String noGradient(int i) { return null; }

    /**
     * How many times this rule may be differentiated: unbounded for a VJP written in Tensor operations throughout, 1 for
     * one that treats a kernel's derivative as a constant. Under createGraph the engine marks an order-1 rule's
     * gradients ({@link OnceDifferentiable}) so that differentiating them again throws (PyTorch's once_differentiable).
     */
    default int derivativeOrder() { return Integer.MAX_VALUE; }

    // ------------------------------------------------------------------ elementwise, unary

    record Neg() implements Prim {
        public NDArray forward(NDArray[] x) { return x[0].neg(); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) { return new Tensor[]{g.neg()}; }
    }

    record Exp() implements Prim {
        public NDArray forward(NDArray[] x) { return x[0].exp(); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) { return new Tensor[]{g.mul(y)}; }
    }

    record Expm1() implements Prim {
        public NDArray forward(NDArray[] x) { return x[0].expm1(); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) { return new Tensor[]{g.mul(y.add(1.0))}; }
    }

    record Log() implements Prim {
        public NDArray forward(NDArray[] x) { return x[0].log(); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) { return new Tensor[]{g.div(x[0])}; }
    }

    record Log1p() implements Prim {
        public NDArray forward(NDArray[] x) { return x[0].log1p(); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) { return new Tensor[]{g.div(x[0].add(1.0))}; }
    }

    record Sqrt() implements Prim {
        public NDArray forward(NDArray[] x) { return x[0].sqrt(); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) { return new Tensor[]{g.div(y.mul(2.0))}; }
    }

    record Sin() implements Prim {
        public NDArray forward(NDArray[] x) { return x[0].sin(); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) { return new Tensor[]{g.mul(x[0].cos())}; }
    }

    record Cos() implements Prim {
        public NDArray forward(NDArray[] x) { return x[0].cos(); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) { return new Tensor[]{g.mul(x[0].sin()).neg()}; }
    }

    record Tanh() implements Prim {
        public NDArray forward(NDArray[] x) { return x[0].tanh(); }
        // 1 - y² from the saved output: one multiply, and stable where tanh saturates
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) { return new Tensor[]{g.mul(y.mul(y).neg().add(1.0))}; }
    }

    /** A fused kernel (1 / (1 + e^-x) never overflows to NaN); its VJP y(1-y) is in Tensor ops, and stays finite. */
    record Sigmoid() implements Prim {
        public NDArray forward(NDArray[] x) { return x[0].sigmoid(); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) { return new Tensor[]{g.mul(y.mul(y.neg().add(1.0)))}; }
    }

    /**
     * log(1 + eˣ) in one node, as relu(x) + log1p(e^-|x|): finite for every finite x. Its VJP g·σ(x) is in Tensor ops,
     * so it is differentiable again, and gives σ(0) = 1/2 at 0 (differentiating the relu/abs formula would give 0 there).
     * BCE with logits and logSigmoid go through it: 6 array passes forward and 2 backward, where the clamped two-branch
     * composite took 10 forward and about 20 backward.
     */
    record Softplus() implements Prim {
        public NDArray forward(NDArray[] x) { return x[0].relu().add(x[0].abs().neg().exp().log1p()); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) { return new Tensor[]{g.mul(x[0].sigmoid())}; }
    }

    record Relu() implements Prim {
        public NDArray forward(NDArray[] x) { return x[0].relu(); }
        // one compare and one select: where(x > 0, g, 0)
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) {
            return new Tensor[]{Tensor.where(x[0].data().gt(0), g, Tensor.constant(NDArray.scalar(g.dtype(), 0)))};
        }
    }

    record Abs() implements Prim {
        public NDArray forward(NDArray[] x) { return x[0].abs(); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) { return new Tensor[]{g.mul(x[0].sign())}; }
    }

    /** Piecewise constant: its derivative is zero wherever it exists. */
    record Sign() implements Prim {
        public NDArray forward(NDArray[] x) { return x[0].sign(); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) { return new Tensor[]{g.mul(0.0)}; }
    }

    record Lgamma() implements Prim {
        public NDArray forward(NDArray[] x) { return x[0].lgamma(); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) { return new Tensor[]{g.mul(x[0].digamma())}; }
    }

    /** ψ⁽ⁿ⁾(x); n = 0 is digamma. Its derivative is the next polygamma, so every order is differentiable. */
    record Polygamma(int n) implements Prim {
        public NDArray forward(NDArray[] x) { return x[0].polygamma(n); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) { return new Tensor[]{g.mul(x[0].polygamma(n + 1))}; }
    }

    /** erf; d/dx = 2/√π e^{-x²}. */
    record Erf() implements Prim {
        public NDArray forward(NDArray[] x) { return x[0].erf(); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) {
            return new Tensor[]{g.mul(x[0].mul(x[0]).neg().exp().mul(2 / Math.sqrt(Math.PI)))};
        }
    }

    /** erf⁻¹; d/dy = √π/2 e^{x²} with x the output. */
    record Erfinv() implements Prim {
        public NDArray forward(NDArray[] x) { return x[0].erfinv(); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) { return new Tensor[]{g.mul(y.mul(y).exp().mul(Math.sqrt(Math.PI) / 2))}; }
    }

    /**
     * P(a, x), the regularised lower incomplete gamma, inputs (a, x). Differentiable in x to any order (the Gamma density
     * x^(a-1) e^-x / Γ(a), itself in Tensor ops, so mixed second derivatives in a and x are right too); the derivative in a
     * is not implemented (nor is it in torch.igamma) and throws when requested. {@code caller} names the computation for
     * that message (null for a direct call).
     */
    record GammaP(String caller) implements Prim {
        public NDArray forward(NDArray[] x) { return x[0].gammaP(x[1]); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) {
            Tensor a = x[0], v = x[1];
            Tensor logPdf = a.sub(1.0).mul(v.log()).sub(v).sub(a.lgamma());
            return new Tensor[]{null, g.mul(logPdf.exp())};
        }
        @Override
        public String noGradient(int i) {
            return i != 0 ? null : "the derivative of the regularised incomplete gamma P(a, x) in its shape a is not implemented"
                    + (caller == null ? "" : " (" + caller + " needs it)");
        }
    }

    /**
     * I_x(a, b), the regularised incomplete beta, inputs (x, a, b). Differentiable in x to any order (the Beta(a, b)
     * density x^(a-1) (1-x)^(b-1) / B(a, b), itself in Tensor ops); the derivatives in a and b are not implemented and
     * throw when requested, naming {@code caller} (null for a direct call).
     */
    record BetaI(String caller) implements Prim {
        public NDArray forward(NDArray[] x) { return x[0].betaI(x[1], x[2]); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) {
            Tensor v = x[0], a = x[1], b = x[2];
            Tensor logPdf = a.sub(1.0).mul(v.log()).add(b.sub(1.0).mul(v.neg().log1p()))
                    .sub(a.lgamma().add(b.lgamma()).sub(a.add(b).lgamma()));
            return new Tensor[]{g.mul(logPdf.exp()), null, null};
        }
        @Override
        public String noGradient(int i) {
            return i == 0 ? null : "the derivative of the regularised incomplete beta I_x(a, b) in its shape " + (i == 1 ? "a" : "b")
                    + " is not implemented" + (caller == null ? "" : " (" + caller + " needs it)");
        }
    }

    /**
     * A Gamma(α, 1) sample drawn beforehand, as a function of α: the implicit reparameterisation gradient
     * ∂x/∂α = -(∂F/∂α)/p(x) (Figurnov et al. 2018). The factor is computed by a kernel and used as a constant, so this
     * rule is of order 1: a second derivative would need ∂²x/∂α², and asking for one throws rather than dropping that
     * term (for x² at α = 2.5 that gave a Hessian of 3.48 where finite differences give 2.93).
     */
    record StandardGamma(NDArray sample) implements Prim {
        public NDArray forward(NDArray[] x) { return sample; }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) {
            return new Tensor[]{g.mul(Tensor.constant(x[0].data().standardGammaGrad(sample)))};
        }
        @Override
        public int derivativeOrder() { return 1; }
    }

    /**
     * A gradient produced by an order-1 rule under createGraph, marked so it cannot be differentiated again: the identity
     * on input 0 (the gradient), with the rule's own inputs after it so it is recorded whenever they require grad (a
     * gradient that is constant in them would otherwise hide the missing term as a zero). Every input declares the reason.
     */
    record OnceDifferentiable(String of) implements Prim {
        public NDArray forward(NDArray[] x) { return x[0]; }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) { return new Tensor[x.length]; }
        @Override
        public String noGradient(int i) {
            return of + " is differentiable only once (its VJP uses a kernel's derivative as a constant), so a second "
                    + "derivative through it is not available";
        }
        @Override
        public String opName() { return "the gradient of " + of; }
    }

    /** Gradient flows where lo <= x <= hi (PyTorch's convention at the bounds). */
    record Clamp(double lo, double hi) implements Prim {
        public NDArray forward(NDArray[] x) { return x[0].clamp(lo, hi); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) {
            NDArray d = x[0].data();
            NDArray inside = d.ge(lo).and(d.le(hi));
            return new Tensor[]{g.mul(Tensor.constant(inside.to(d.dtype())))};
        }
    }

    /** A contiguous copy; the gradient passes through unchanged. */
    record Contiguous() implements Prim {
        public NDArray forward(NDArray[] x) { return x[0].contiguous(); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) { return new Tensor[]{g}; }
    }

    record ToDevice(Backend to) implements Prim {
        public NDArray forward(NDArray[] x) { return x[0].to(to); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) { return new Tensor[]{g.to(x[0].data().backend())}; }
    }

    record Cast(DType to) implements Prim {
        public NDArray forward(NDArray[] x) { return x[0].to(to); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) { return new Tensor[]{g.to(x[0].dtype())}; }
    }

    /** floor, ceil, round (half to even) or trunc: piecewise constant, so the gradient is zero, as torch's (not NaN at the steps). */
    record Rounding(UnaryOp op) implements Prim {
        public NDArray forward(NDArray[] x) { return x[0].apply(op); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) { return new Tensor[]{Tensor.zerosLike(g)}; }
        @Override
        public String opName() { return op.name().toLowerCase(java.util.Locale.ROOT); }
    }

    /** atan; d/dx = 1/(1 + x²). */
    record Atan() implements Prim {
        public NDArray forward(NDArray[] x) { return x[0].atan(); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) { return new Tensor[]{g.div(x[0].mul(x[0]).add(1.0))}; }
    }

    /** asin; d/dx = 1/√((1-x)(1+x)), the product form keeping its digits near |x| = 1 where 1 - x² cancels. */
    record Asin() implements Prim {
        public NDArray forward(NDArray[] x) { return x[0].asin(); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) { return new Tensor[]{g.div(x[0].rsub(1).mul(x[0].add(1.0)).sqrt())}; }
    }

    /** acos; d/dx = -1/√((1-x)(1+x)). */
    record Acos() implements Prim {
        public NDArray forward(NDArray[] x) { return x[0].acos(); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) { return new Tensor[]{g.div(x[0].rsub(1).mul(x[0].add(1.0)).sqrt()).neg()}; }
    }

    /** erfc; d/dx = -2/√π e^{-x²}. */
    record Erfc() implements Prim {
        public NDArray forward(NDArray[] x) { return x[0].erfc(); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) {
            return new Tensor[]{g.mul(x[0].mul(x[0]).neg().exp().mul(-2 / Math.sqrt(Math.PI)))};
        }
    }

    /** erfcx(x) = e^{x²} erfc(x); d/dx = 2x·erfcx(x) - 2/√π, from the saved output (finite wherever the output is). */
    record Erfcx() implements Prim {
        public NDArray forward(NDArray[] x) { return x[0].erfcx(); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) {
            return new Tensor[]{g.mul(x[0].mul(y).mul(2.0).sub(2 / Math.sqrt(Math.PI)))};
        }
    }

    // ------------------------------------------------------------------ elementwise, binary (equal shapes)

    record Add() implements Prim {
        public NDArray forward(NDArray[] x) { return x[0].add(x[1]); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) { return new Tensor[]{g, g}; }
    }

    record Mul() implements Prim {
        public NDArray forward(NDArray[] x) { return x[0].mul(x[1]); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) {
            return new Tensor[]{x[0].requiresGrad() ? g.mul(x[1]) : null, x[1].requiresGrad() ? g.mul(x[0]) : null};
        }
    }

    record Div() implements Prim {
        public NDArray forward(NDArray[] x) { return x[0].div(x[1]); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) {
            Tensor ga = g.div(x[1]);
            return new Tensor[]{ga, x[1].requiresGrad() ? ga.mul(y).neg() : null};
        }
    }

    /**
     * d/da a^b = b a^(b-1); d/db a^b = a^b log a, taken as 0 where a = 0 and b >= 0 (the limit PyTorch uses). At a = 0,
     * b = 0, b a^(b-1) is 0·∞: it is taken as 0 (a^0 is the constant 1), with a safe base inside the masked branch so
     * that no NaN comes back through it either; since a^(b-1) is itself a Pow, a^1 at 0 then gets the second
     * derivative 0 and a^0 every higher one, as in PyTorch.
     */
    record Pow() implements Prim {
        public NDArray forward(NDArray[] x) { return x[0].pow(x[1]); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) {
            Tensor a = x[0], b = x[1];
            Tensor ga = null;
            if (a.requiresGrad()) {
                NDArray flat = a.data().eq(0).and(b.data().eq(0));
                if (any(flat)) {
                    Tensor safeA = Tensor.where(flat, Tensor.onesLike(a), a);
                    ga = Tensor.where(flat, Tensor.zerosLike(g), g.mul(b).mul(safeA.pow(b.sub(1.0))));
                } else {
                    ga = g.mul(b).mul(a.pow(b.sub(1.0)));
                }
            }
            Tensor gb = null;
            if (b.requiresGrad()) {
                NDArray zero = a.data().eq(0).and(b.data().ge(0));
                Tensor safeA = Tensor.where(zero, Tensor.onesLike(a), a);
                gb = Tensor.where(zero, Tensor.zerosLike(g), g.mul(y).mul(safeA.log()));
            }
            return new Tensor[]{ga, gb};
        }
    }

    private static boolean any(NDArray mask) { return mask.to(DType.I64).sum().item() > 0; }

    /**
     * As PyTorch: ties split the gradient evenly; where either input is NaN (so is the output) both get the whole
     * gradient, since neither lost the comparison.
     */
    record Maximum() implements Prim {
        public NDArray forward(NDArray[] x) { return x[0].maximum(x[1]); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) { return minMaxVjp(g, x, true); }
    }

    record Minimum() implements Prim {
        public NDArray forward(NDArray[] x) { return x[0].minimum(x[1]); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) { return minMaxVjp(g, x, false); }
    }

    /** Weights 1 - [lost] - ½[tie] for each input (PyTorch's rule): a NaN comparison is neither a loss nor a tie. */
    private static Tensor[] minMaxVjp(Tensor g, Tensor[] x, boolean max) {
        NDArray a = x[0].data(), b = x[1].data();
        DType t = a.dtype();
        NDArray aLost = (max ? a.lt(b) : a.gt(b)).to(t), bLost = (max ? a.gt(b) : a.lt(b)).to(t);
        NDArray ties = a.eq(b).to(t).mul(0.5);
        NDArray wa = aLost.neg().add(1.0).sub(ties);
        NDArray wb = bLost.neg().add(1.0).sub(ties);
        return new Tensor[]{g.mul(Tensor.constant(wa)), g.mul(Tensor.constant(wb))};
    }

    /** cond ? a : b with cond a fixed mask (broadcast to the inputs' shape beforehand). */
    record Where(NDArray cond) implements Prim {
        public NDArray[] saved() { return new NDArray[]{cond}; }
        public NDArray forward(NDArray[] x) { return NDArray.where(cond, x[0], x[1]); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) {
            Tensor z = Tensor.zerosLike(g);
            return new Tensor[]{Tensor.where(cond, g, z), Tensor.where(cond, z, g)};
        }
    }

    /** atan2(a, b), inputs (a, b); ∂/∂a = b/(a² + b²), ∂/∂b = -a/(a² + b²) (torch's rule, NaN at the origin as there). */
    record Atan2() implements Prim {
        public NDArray forward(NDArray[] x) { return x[0].atan2(x[1]); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) {
            Tensor a = x[0], b = x[1];
            Tensor gr = g.div(a.mul(a).add(b.mul(b)));
            return new Tensor[]{a.requiresGrad() ? gr.mul(b) : null, b.requiresGrad() ? gr.mul(a).neg() : null};
        }
    }

    /** fmod(a, b) = a - trunc(a/b)·b; ∂/∂a = 1, ∂/∂b = -trunc(a/b) (torch's rule; trunc has zero gradient). */
    record Fmod() implements Prim {
        public NDArray forward(NDArray[] x) { return x[0].fmod(x[1]); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) {
            return new Tensor[]{g, x[1].requiresGrad() ? g.mul(x[0].div(x[1]).trunc()).neg() : null};
        }
    }

    // ------------------------------------------------------------------ reductions

    record Sum(int[] dims, boolean keepDim) implements Prim {
        public NDArray forward(NDArray[] x) { return x[0].sum(dims, keepDim); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) {
            return new Tensor[]{unreduce(g, x[0].dims(), dims, keepDim).expand(x[0].dims())};
        }
    }

    /**
     * The gradient goes to every element equal to the extreme, shared evenly among ties (torch.amax). Where the extreme is
     * NaN (the reduction propagates it) the NaN elements are the ones that produced it, and they share the gradient, as
     * torch.max() over all elements does (torch.amax sends NaN there instead: 0/0 from an empty mask).
     */
    record Max(int[] dims, boolean keepDim, boolean max) implements Prim {
        public NDArray forward(NDArray[] x) { return max ? x[0].max(dims, keepDim) : x[0].min(dims, keepDim); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) {
            int[] shape = x[0].dims();
            NDArray xd = x[0].data(), yd = unreduce(y, shape, dims, keepDim).data();
            NDArray hit = xd.eq(yd);
            if (any(yd.ne(yd))) hit = hit.or(xd.ne(xd).and(yd.ne(yd)));
            NDArray mask = hit.to(x[0].dtype());
            NDArray count = mask.sum(Shapes.axes("max", dims, shape.length), true);
            Tensor w = Tensor.constant(mask.div(count));
            return new Tensor[]{unreduce(g, shape, dims, keepDim).expand(shape).mul(w)};
        }

        @Override
        public String opName() { return max ? "max" : "min"; }
    }

    /** Running sum; its VJP is the reversed running sum, written as total - cumsum + g. */
    record Cumsum(int dim) implements Prim {
        public NDArray forward(NDArray[] x) { return x[0].cumsum(dim); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) {
            return new Tensor[]{g.sum(new int[]{dim}, true).expand(g.dims()).sub(g.cumsum(dim)).add(g)};
        }
    }

    /**
     * Product over dims. VJP as torch's: g·y/x where no input is zero; otherwise the product of the other elements of each
     * reduced slice, as exclusive running products from both ends (Tensor.cumprod, itself a composite), which is right at
     * zeros and to any order.
     */
    record Prod(int[] dims, boolean keepDim) implements Prim {
        public NDArray forward(NDArray[] x) { return x[0].prod(dims, keepDim); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) {
            int[] shape = x[0].dims();
            Tensor ge = unreduce(g, shape, dims, keepDim).expand(shape);
            if (!any(x[0].data().eq(0))) return new Tensor[]{ge.mul(unreduce(y, shape, dims, keepDim)).div(x[0])};
            return new Tensor[]{ge.mul(productOfOthers(x[0], Shapes.axes("prod", dims, shape.length)))};
        }
    }

    /** For each element, the product of the other elements of its slice over {@code axes}, in Tensor ops. */
    private static Tensor productOfOthers(Tensor x, int[] axes) {
        int r = x.dim();
        int[] shape = x.dims();
        boolean[] reduced = new boolean[r];
        for (int a : axes) reduced[a] = true;
        int[] order = new int[r];
        int k = 0, n = 1;
        for (int d = 0; d < r; d++) if (!reduced[d]) order[k++] = d;
        int keep = k;
        for (int d = 0; d < r; d++) if (reduced[d]) { order[k++] = d; n *= shape[d]; }
        Tensor p = x.permute(order);
        int[] permuted = p.dims();
        int[] flat = Arrays.copyOf(permuted, keep + 1);
        flat[keep] = n;
        Tensor f = p.reshape(flat);
        Tensor one = Tensor.onesLike(f.narrow(keep, 0, 1));
        Tensor before = n == 1 ? one : Tensor.cat(List.of(one, f.narrow(keep, 0, n - 1)), keep).cumprod(keep);
        Tensor after = n == 1 ? one : Tensor.cat(List.of(f.narrow(keep, 1, n - 1), one), keep).flip(keep).cumprod(keep).flip(keep);
        Tensor others = before.mul(after).reshape(permuted);
        int[] inv = new int[r];
        for (int i = 0; i < r; i++) inv[order[i]] = i;
        return others.permute(inv);
    }

    /** g reshaped so the reduced dims are back as size 1 (for keepDim = false). */
    private static Tensor unreduce(Tensor g, int[] inShape, int[] dims, boolean keepDim) {
        if (keepDim) return g;
        int[] axes = Shapes.axes("sum", dims, inShape.length);
        return g.reshape(Shapes.reducedShape(inShape, axes, true));
    }

    // ------------------------------------------------------------------ movement

    record Reshape(int[] shape) implements Prim {
        public NDArray forward(NDArray[] x) { return x[0].reshape(shape); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) { return new Tensor[]{g.reshape(x[0].dims())}; }
    }

    record Permute(int[] order) implements Prim {
        public NDArray forward(NDArray[] x) { return x[0].permute(order); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) {
            int[] inv = new int[order.length];
            for (int i = 0; i < order.length; i++) inv[Shapes.axis("permute", order[i], order.length)] = i;
            return new Tensor[]{g.permute(inv)};
        }
    }

    /** Broadcast view; the VJP sums the gradient back to the input's shape. */
    record Expand(int[] shape) implements Prim {
        public NDArray forward(NDArray[] x) { return x[0].expand(shape); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) { return new Tensor[]{g.sumTo(x[0].dims())}; }
    }

    /** x[start:end:step] along dim; the VJP places g back into zeros. */
    record Slice(int dim, int start, int end, int step) implements Prim {
        public NDArray forward(NDArray[] x) { return x[0].slice(dim, start, end, step); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) {
            return new Tensor[]{Tensor.apply(new SliceScatter(x[0].dims(), dim, start, end, step), g)};
        }
    }

    /** Zeros of {@code shape} with the input written at [start:end:step] along dim: the adjoint of Slice. */
    record SliceScatter(int[] shape, int dim, int start, int end, int step) implements Prim {
        public NDArray forward(NDArray[] x) {
            NDArray out = NDArray.zeros(x[0].dtype(), shape);
            out.slice(dim, start, end, step).copyFromInPlace(x[0]);
            return out;
        }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) { return new Tensor[]{g.slice(dim, start, end, step)}; }
    }

    /** The (offset, d1, d2) diagonal as the last dim (a view). */
    record Diagonal(int offset, int d1, int d2) implements Prim {
        public NDArray forward(NDArray[] x) { return x[0].diagonal(offset, d1, d2); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) {
            return new Tensor[]{Tensor.apply(new DiagonalScatter(x[0].dims(), offset, d1, d2), g)};
        }
    }

    /** Zeros of {@code shape} with the input on the (offset, d1, d2) diagonal: the adjoint of Diagonal. */
    record DiagonalScatter(int[] shape, int offset, int d1, int d2) implements Prim {
        public NDArray forward(NDArray[] x) {
            NDArray out = NDArray.zeros(x[0].dtype(), shape);
            out.diagonal(offset, d1, d2).copyFromInPlace(x[0]);
            return out;
        }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) { return new Tensor[]{g.diagonal(offset, d1, d2)}; }
    }

    /** Keeps the lower (or upper) triangle of the last two dims; a linear mask, so its VJP is the same mask. */
    record Triangle(int k, boolean lower) implements Prim {
        public NDArray forward(NDArray[] x) { return lower ? x[0].tril(k) : x[0].triu(k); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) { return new Tensor[]{lower ? g.tril(k) : g.triu(k)}; }

        @Override
        public String opName() { return lower ? "tril" : "triu"; }
    }

    record Cat(int dim) implements Prim {
        public NDArray forward(NDArray[] x) { return NDArray.cat(Arrays.asList(x), dim); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) {
            Tensor[] out = new Tensor[x.length];
            int pos = 0;
            for (int i = 0; i < x.length; i++) {
                int n = x[i].shape(dim);
                out[i] = g.narrow(dim, pos, n);
                pos += n;
            }
            return out;
        }
    }

    record IndexSelect(int dim, NDArray index) implements Prim {
        public NDArray[] saved() { return new NDArray[]{index}; }
        public NDArray forward(NDArray[] x) { return x[0].indexSelect(dim, index); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) {
            // scatter-add the selected slices back: expand the 1-D index along every other dim
            int[] gs = g.dims();
            int d = Shapes.axis("indexSelect", dim, gs.length);
            int[] view = new int[gs.length];
            Arrays.fill(view, 1);
            view[d] = gs[d];
            NDArray idx = index.reshape(view).expand(gs).contiguous();
            return new Tensor[]{Tensor.zerosLike(x[0]).scatterAdd(d, idx, g)};
        }
    }

    record Gather(int dim, NDArray index) implements Prim {
        public NDArray[] saved() { return new NDArray[]{index}; }
        public NDArray forward(NDArray[] x) { return x[0].gather(dim, index); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) {
            return new Tensor[]{Tensor.zerosLike(x[0]).scatterAdd(dim, index, g)};
        }
    }

    /** x with src added at index along dim; inputs (x, src). */
    record ScatterAdd(int dim, NDArray index) implements Prim {
        public NDArray[] saved() { return new NDArray[]{index}; }
        public NDArray forward(NDArray[] x) { return x[0].scatterAdd(dim, index, x[1]); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) {
            Tensor gs = g.gather(dim, index);
            // src may be larger than index: pad the gathered gradient back with zeros
            int[] ss = x[1].dims();
            for (int d = 0; d < ss.length; d++) {
                if (gs.shape(d) < ss[d]) gs = Tensor.apply(new SliceScatter(withDim(gs.dims(), d, ss[d]), d, 0, gs.shape(d), 1), gs);
            }
            return new Tensor[]{g, gs};
        }
    }

    private static int[] withDim(int[] s, int d, int v) {
        int[] o = s.clone();
        o[d] = v;
        return o;
    }

    // ------------------------------------------------------------------ matmul and linear algebra

    /** Matrix product of rank >= 2 operands with equal batch dims (broadcast beforehand by an Expand). */
    /**
     * Matrix product. Each operand's gradient is laid out as the operand is: for a transposed view (the weight of a
     * linear layer, x·Wᵀ) it is computed as (g-side product)ᵀ, so that the transpose's VJP hands W a contiguous gradient
     * and the optimiser need not copy it (same product, same cost).
     */
    record Matmul() implements Prim {
        public NDArray forward(NDArray[] x) { return x[0].matmul(x[1]); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) {
            Tensor ga = null, gb = null;
            if (x[0].requiresGrad()) ga = transposedLayout(x[0].data) ? x[1].matmul(g.mT()).mT() : g.matmul(x[1].mT());
            if (x[1].requiresGrad()) gb = transposedLayout(x[1].data) ? g.mT().matmul(x[0]).mT() : x[0].mT().matmul(g);
            return new Tensor[]{ga, gb};
        }

        /** A non-contiguous array whose last two dims, swapped, are contiguous. */
        static boolean transposedLayout(NDArray a) {
            return a.rank() >= 2 && !a.isContiguous() && a.mT().isContiguous();
        }
    }

    /**
     * Lower Cholesky factor. VJP from Murray (2016), "Differentiation of the Cholesky decomposition", eq. 10:
     * Ā = sym(L⁻ᵀ Φ(Lᵀ L̄) L⁻¹), Φ taking the lower triangle with the diagonal halved.
     */
    record Cholesky() implements Prim {
        public NDArray forward(NDArray[] x) { return x[0].cholesky(); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) {
            Tensor l = y;
            Tensor p = l.mT().matmul(g);
            Tensor phi = p.tril(0).sub(p.diagonal().diagEmbed().mul(0.5));
            Tensor s = l.mT().triangularSolve(phi, true, true, false);   // L⁻ᵀ Φ
            s = l.triangularSolve(s, false, false, false);                 // (L⁻ᵀ Φ) L⁻¹
            return new Tensor[]{s.add(s.mT()).mul(0.5)};
        }
    }

    /**
     * X = A⁻¹B (left) or B A⁻¹ (right) for triangular A. Giles (2008), "Collected matrix derivative results",
     * section 2.3: B̄ = A⁻ᵀ X̄ and Ā = -B̄ Xᵀ (left), masked to A's triangle.
     */
    record TriangularSolve(boolean upper, boolean left, boolean unitDiagonal) implements Prim {
        public NDArray forward(NDArray[] x) { return x[0].triangularSolve(x[1], upper, left, unitDiagonal); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) {
            Tensor a = x[0];
            Tensor gb = a.mT().triangularSolve(g, !upper, left, unitDiagonal);
            Tensor ga = null;
            if (a.requiresGrad()) {
                ga = left ? gb.matmul(y.mT()).neg() : y.mT().matmul(gb).neg();
                ga = upper ? ga.triu(unitDiagonal ? 1 : 0) : ga.tril(unitDiagonal ? -1 : 0);
            }
            return new Tensor[]{ga, gb};
        }
    }

    /** X = A⁻¹B for general A. Giles (2008) section 2.3: B̄ = A⁻ᵀ X̄, Ā = -B̄ Xᵀ. */
    record Solve() implements Prim {
        public NDArray forward(NDArray[] x) { return x[0].solve(x[1]); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) {
            Tensor gb = x[0].mT().solve(g);
            return new Tensor[]{x[0].requiresGrad() ? gb.matmul(y.mT()).neg() : null, gb};
        }
    }

    /** Y = A⁻¹; Ā = -Yᵀ Ȳ Yᵀ (Giles 2008, section 2.2). */
    record Inverse() implements Prim {
        public NDArray forward(NDArray[] x) { return x[0].inverse(); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) {
            Tensor yt = y.mT();
            return new Tensor[]{yt.matmul(g).matmul(yt).neg()};
        }
    }

    /**
     * log|det A| (through LU); Ā = ḡ A⁻ᵀ (Giles 2008, section 2.2). At a singular A (log|det| = -∞) that is ḡ C/det A
     * with C the cofactor matrix: ±∞ where C is nonzero (the sign of C: log|det| rises towards +∞ along C), NaN where
     * C is 0, rather than the inverse's "singular" error.
     */
    record LogAbsDet() implements Prim {
        public NDArray forward(NDArray[] x) { return x[0].slogdet()[1]; }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) {
            Tensor gm = g.unsqueeze(-1).unsqueeze(-1);
            if (!any(y.data().eq(Double.NEGATIVE_INFINITY))) return new Tensor[]{gm.mul(x[0].inverse().mT())};
            Tensor det = Tensor.apply(new Det(), x[0]).unsqueeze(-1).unsqueeze(-1);
            return new Tensor[]{gm.mul(Tensor.apply(new Cofactor(), x[0]).div(det))};
        }
    }

    /**
     * det A (through LU). Ā = ḡ C with C = adj(A)ᵀ the cofactor matrix (Jacobi's formula; Magnus and Neudecker 2019,
     * ch. 8.3), which is right at a singular A too, where the usual det(A) A⁻ᵀ is 0·∞.
     */
    record Det() implements Prim {
        public NDArray forward(NDArray[] x) { return x[0].det(); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) {
            return new Tensor[]{g.unsqueeze(-1).unsqueeze(-1).mul(Tensor.apply(new Cofactor(), x[0]))};
        }
    }

    /**
     * C = adj(A)ᵀ, det's gradient, by a kernel that handles singular A. For invertible A, C = det(A) A⁻ᵀ and
     * dC = tr(A⁻¹ dA) C - C dAᵀ A⁻ᵀ, so Ā = ⟨Ḡ, C⟩ A⁻ᵀ - A⁻ᵀ Ḡᵀ C. At a singular A that formula does not apply and
     * the adjugate's own derivative is not implemented, so a second derivative of det there throws.
     */
    record Cofactor() implements Prim {
        public NDArray forward(NDArray[] x) { return x[0].adjugate().mT().contiguous(); }
        public Tensor[] vjp(Tensor g, Tensor[] x, Tensor y) {
            if (any(x[0].data().slogdet()[0].eq(0))) throw new UnsupportedOperationException("cofactor: the second derivative of "
                    + "det at a singular matrix (shape " + dev.deepprob.engine.Shapes.str(x[0].dims()) + ") is not implemented");
            Tensor ait = x[0].inverse().mT();
            Tensor inner = g.mul(y).sum(new int[]{-2, -1}, true);
            return new Tensor[]{inner.mul(ait).sub(ait.matmul(g.mT()).matmul(y))};
        }
    }

    /** Every primitive type, for the gradient-check table's completeness test. */
    static List<Class<?>> all() {
        return new ArrayList<>(Arrays.asList(Prim.class.getPermittedSubclasses()));
    }
}
