package dev.deepprob.autograd;

import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gradient-check table: every primitive with the input domain it is checked on, its tolerances and its order. Rules
 * of order 2 or more ({@link #TABLE}) have first and second derivatives checked against central finite differences in
 * float64 on random shapes; rules of order 1 ({@link #ORDER_ONE}) have their first derivative checked and must refuse a
 * second one by name. A primitive missing from the table fails {@link #everyPrimitiveIsInTheTable()}.
 */
class GradCheckTableTest {

    /** Builds the inputs for one random trial. */
    interface Inputs { List<NDArray> make(Generator g, int[] dims); }

    record Case(String name, Class<? extends Prim> prim, Inputs inputs, Function<List<Tensor>, Tensor> f, GradCheck.Options opt) {}

    static final GradCheck.Options STD = new GradCheck.Options(1e-6, 1e-6, 1e-5);
    /** Linear algebra compounds rounding from solves: a looser relative tolerance. */
    static final GradCheck.Options LINALG = new GradCheck.Options(1e-6, 1e-5, 1e-4);

    static NDArray normal(Generator g, int... shape) { return NDArray.randn(g, DType.F64, shape); }
    static NDArray uniform(Generator g, double lo, double hi, int... shape) { return NDArray.uniform(g, DType.F64, lo, hi, shape); }
    /** Values with |x| in [0.2, 2]: away from the kinks of abs, relu, sign. */
    static NDArray awayFromZero(Generator g, int... shape) {
        NDArray m = uniform(g, 0.2, 2, shape);
        return NDArray.where(NDArray.bernoulli(g, 0.5, shape), m, m.neg());
    }
    static NDArray wellConditioned(Generator g, int n, int... batch) {
        int[] s = java.util.Arrays.copyOf(batch, batch.length + 2);
        s[batch.length] = n;
        s[batch.length + 1] = n;
        return normal(g, s).mul(0.3).add(NDArray.eye(DType.F64, n).mul(2));
    }

    static Case unary(String name, Class<? extends Prim> p, Function<Tensor, Tensor> f, Inputs in) {
        return new Case(name, p, in, xs -> f.apply(xs.getFirst()), STD);
    }

    static Inputs one(java.util.function.BiFunction<Generator, int[], NDArray> gen) {
        return (g, d) -> List.of(gen.apply(g, new int[]{d[0], d[1]}));
    }

    static final List<Case> TABLE = new ArrayList<>();

    static {
        Inputs any = one((g, s) -> normal(g, s));
        Inputs pos = one((g, s) -> uniform(g, 0.5, 3, s));
        Inputs kinks = one((g, s) -> awayFromZero(g, s));
        TABLE.add(unary("neg", Prim.Neg.class, Tensor::neg, any));
        TABLE.add(unary("exp", Prim.Exp.class, Tensor::exp, any));
        TABLE.add(unary("expm1", Prim.Expm1.class, Tensor::expm1, any));
        TABLE.add(unary("log", Prim.Log.class, Tensor::log, pos));
        TABLE.add(unary("log1p", Prim.Log1p.class, Tensor::log1p, pos));
        TABLE.add(unary("sqrt", Prim.Sqrt.class, Tensor::sqrt, pos));
        TABLE.add(unary("sin", Prim.Sin.class, Tensor::sin, any));
        TABLE.add(unary("cos", Prim.Cos.class, Tensor::cos, any));
        TABLE.add(unary("tanh", Prim.Tanh.class, Tensor::tanh, any));
        TABLE.add(unary("sigmoid", Prim.Sigmoid.class, Tensor::sigmoid, any));
        TABLE.add(unary("relu", Prim.Relu.class, x -> x.relu().mul(x), kinks));
        TABLE.add(unary("abs", Prim.Abs.class, x -> x.abs().mul(x), kinks));
        TABLE.add(unary("sign", Prim.Sign.class, x -> x.sign().mul(x.exp()), kinks));
        TABLE.add(unary("lgamma", Prim.Lgamma.class, Tensor::lgamma, pos));
        TABLE.add(unary("digamma", Prim.Polygamma.class, Tensor::digamma, pos));
        TABLE.add(unary("polygamma(1)", Prim.Polygamma.class, x -> x.polygamma(1), pos));
        TABLE.add(unary("clamp", Prim.Clamp.class, x -> x.clamp(-0.5, 0.5).mul(x), one((g, s) -> {
            // keep clear of the bounds ±0.5 by at least 0.05
            NDArray u = uniform(g, 0.05, 0.45, s);
            NDArray far = uniform(g, 0.55, 2, s);
            NDArray v = NDArray.where(NDArray.bernoulli(g, 0.5, s), u, far);
            return NDArray.where(NDArray.bernoulli(g, 0.5, s), v, v.neg());
        })));
        TABLE.add(unary("softplus", Prim.Softplus.class, Tensor::softplus, one((g, s) -> normal(g, s).mul(5))));
        TABLE.add(unary("logSigmoid (composite)", Prim.Softplus.class, Tensor::logSigmoid, one((g, s) -> normal(g, s).mul(5))));
        TABLE.add(unary("erf", Prim.Erf.class, Tensor::erf, any));
        TABLE.add(unary("erfinv", Prim.Erfinv.class, Tensor::erfinv, one((g, s) -> uniform(g, -0.9, 0.9, s))));
        // differentiable in x only: a is a fixed row of shapes 0.7, 1.7, 2.7, ... broadcast over x
        TABLE.add(unary("betaI (in x)", Prim.BetaI.class,
                x -> x.betaI(Tensor.arange(DType.F64, 0.7, 0.7 + x.shape(1), 1), Tensor.of(DType.F64, new double[]{2.5})),
                one((g, s) -> uniform(g, 0.05, 0.95, s))));
        TABLE.add(unary("gammaP (in x)", Prim.GammaP.class,
                x -> Tensor.arange(DType.F64, 0.7, 0.7 + x.shape(1), 1).gammaP(x), one((g, s) -> uniform(g, 0.3, 4, s))));
        TABLE.add(new Case("cast", Prim.Cast.class, any, xs -> xs.getFirst().to(DType.F32).mul(2).to(DType.F64).mul(xs.getFirst()),
                new GradCheck.Options(1e-2, 1e-3, 1e-3)));
        // the primitive itself, applied to the device the tensor is on (Tensor.to skips it then); the gpu module's
        // tests check it between the CPU and an OpenCL device
        TABLE.add(unary("toDevice", Prim.ToDevice.class,
                x -> Tensor.apply(new Prim.ToDevice(dev.deepprob.engine.Backends.cpu()), x.exp()).mul(x), any));
        TABLE.add(unary("contiguous", Prim.Contiguous.class, x -> x.mT().contiguous().exp(), any));

        // binary: second input broadcast along the first dim, so Expand is exercised too
        Inputs pair = (g, d) -> List.of(normal(g, d[0], d[1]), normal(g, 1, d[1]));
        Inputs posPair = (g, d) -> List.of(uniform(g, 0.5, 2, d[0], d[1]), uniform(g, 0.5, 2, d[1]));
        Inputs distinct = (g, d) -> {
            NDArray a = normal(g, d[0], d[1]);
            NDArray gap = awayFromZero(g, d[0], d[1]).mul(0.5);
            return List.of(a, a.add(gap));
        };
        TABLE.add(new Case("add", Prim.Add.class, pair, xs -> xs.get(0).add(xs.get(1)).mul(xs.get(0)), STD));
        TABLE.add(new Case("sub", Prim.Add.class, pair, xs -> xs.get(0).sub(xs.get(1)).exp(), STD));
        TABLE.add(new Case("mul", Prim.Mul.class, pair, xs -> xs.get(0).mul(xs.get(1)), STD));
        TABLE.add(new Case("div", Prim.Div.class, posPair, xs -> xs.get(0).div(xs.get(1)), STD));
        TABLE.add(new Case("pow", Prim.Pow.class, (g, d) -> List.of(uniform(g, 0.5, 2, d[0], d[1]), normal(g, d[0], d[1])),
                xs -> xs.get(0).pow(xs.get(1)), STD));
        TABLE.add(new Case("maximum", Prim.Maximum.class, distinct, xs -> xs.get(0).maximum(xs.get(1)).mul(xs.get(0)), STD));
        TABLE.add(new Case("minimum", Prim.Minimum.class, distinct, xs -> xs.get(0).minimum(xs.get(1)).mul(xs.get(1)), STD));
        TABLE.add(new Case("where", Prim.Where.class, pair, xs -> Tensor.where(xs.get(0).data().gt(0), xs.get(0).exp(), xs.get(1).mul(xs.get(1))), STD));
        TABLE.add(new Case("expand", Prim.Expand.class, (g, d) -> List.of(normal(g, d[1])),
                xs -> xs.getFirst().expand(3, xs.getFirst().shape(0)).mul(xs.getFirst()).sin(), STD));

        // reductions
        TABLE.add(unary("sum(all)", Prim.Sum.class, x -> x.mul(x).sum(), any));
        TABLE.add(unary("sum(dim0)", Prim.Sum.class, x -> x.exp().sum(new int[]{0}, false), any));
        TABLE.add(unary("sum(dim1,keep)", Prim.Sum.class, x -> x.sum(new int[]{1}, true).mul(x), any));
        TABLE.add(unary("max(dim1)", Prim.Max.class, x -> x.max(new int[]{1}, false).exp(), any));
        TABLE.add(unary("min(all)", Prim.Max.class, x -> x.min().mul(x.sum()), any));
        TABLE.add(unary("logSumExp", Prim.Sum.class, x -> x.logSumExp(1), any));
        TABLE.add(unary("variance", Prim.Sum.class, x -> x.variance(new int[]{0}, 1, false), (g, d) -> List.of(normal(g, d[0] + 1, d[1]))));
        TABLE.add(unary("cumsum", Prim.Cumsum.class, x -> x.cumsum(1).mul(x), any));

        // movement
        TABLE.add(unary("reshape", Prim.Reshape.class, x -> x.reshape(-1).exp().reshape(x.shape(1), x.shape(0)), any));
        TABLE.add(unary("permute", Prim.Permute.class, x -> x.permute(1, 0).matmul(x), any));
        TABLE.add(unary("slice", Prim.Slice.class, x -> x.slice(1, 0, x.shape(1), 2).exp(), any));
        TABLE.add(unary("select", Prim.Slice.class, x -> x.select(0, -1).mul(x.select(0, 0)), any));
        TABLE.add(unary("sliceScatter", Prim.SliceScatter.class,
                x -> Tensor.apply(new Prim.SliceScatter(new int[]{x.shape(0) + 2, x.shape(1)}, 0, 1, x.shape(0) + 1, 1), x).exp(), any));
        TABLE.add(new Case("diagonal", Prim.Diagonal.class, (g, d) -> List.of(normal(g, d[0], d[0])), xs -> xs.getFirst().diagonal().exp(), STD));
        TABLE.add(unary("diagEmbed", Prim.DiagonalScatter.class, x -> x.diagEmbed().exp(), any));
        TABLE.add(unary("tril", Prim.Triangle.class, x -> x.tril(0).exp(), any));
        TABLE.add(unary("triu", Prim.Triangle.class, x -> x.triu(1).exp(), any));
        TABLE.add(new Case("cat", Prim.Cat.class, (g, d) -> List.of(normal(g, d[0], d[1]), normal(g, 2, d[1])),
                xs -> Tensor.cat(List.of(xs.get(0), xs.get(1).mul(xs.get(1))), 0).sin(), STD));
        TABLE.add(new Case("stack", Prim.Cat.class, pair, xs -> Tensor.stack(List.of(xs.get(0), xs.get(1).expand(xs.get(0).dims())), 1).exp(), STD));
        TABLE.add(unary("indexSelect", Prim.IndexSelect.class, x -> x.indexSelect(0, NDArray.of(new long[]{0, x.shape(0) - 1, 0})).exp(), any));
        TABLE.add(unary("gather", Prim.Gather.class, x -> x.gather(1, NDArray.zeros(DType.I64, x.shape(0), 2)).exp(), any));
        TABLE.add(new Case("scatterAdd", Prim.ScatterAdd.class, (g, d) -> List.of(normal(g, d[0], d[1]), normal(g, d[0], 2)),
                xs -> xs.get(0).scatterAdd(1, NDArray.zeros(DType.I64, xs.get(0).shape(0), 2), xs.get(1).mul(xs.get(1))).exp(), STD));

        // matmul and linear algebra
        TABLE.add(new Case("matmul", Prim.Matmul.class, (g, d) -> List.of(normal(g, d[0], d[1]), normal(g, d[1], 3)),
                xs -> xs.get(0).matmul(xs.get(1)).mul(xs.get(0).sum()), STD));
        TABLE.add(new Case("matmul(batched)", Prim.Matmul.class, (g, d) -> List.of(normal(g, 2, d[0], d[1]), normal(g, d[1], 2)),
                xs -> xs.get(0).matmul(xs.get(1)).tanh(), STD));
        // transposed operands take the layout-preserving VJP branch (x·Wᵀ of a linear layer, and Aᵀ·B)
        TABLE.add(new Case("matmul(x·Wᵀ)", Prim.Matmul.class, (g, d) -> List.of(normal(g, d[0], d[1]), normal(g, 3, d[1])),
                xs -> xs.get(0).matmul(xs.get(1).t()).mul(xs.get(1).sum()).tanh(), STD));
        TABLE.add(new Case("matmul(Aᵀ·B)", Prim.Matmul.class, (g, d) -> List.of(normal(g, d[1], d[0]), normal(g, d[1], 3)),
                xs -> xs.get(0).mT().matmul(xs.get(1)).mul(xs.get(0).sum()).sin(), STD));
        TABLE.add(new Case("matvec", Prim.Matmul.class, (g, d) -> List.of(normal(g, d[0], d[1]), normal(g, d[1])),
                xs -> xs.get(0).matmul(xs.get(1)).exp(), STD));
        TABLE.add(new Case("cholesky", Prim.Cholesky.class, (g, d) -> List.of(normal(g, d[0], d[0])),
                xs -> spd(xs.getFirst()).cholesky(), LINALG));
        TABLE.add(new Case("triangularSolve(lower,left)", Prim.TriangularSolve.class, (g, d) -> List.of(wellConditioned(g, d[0]), normal(g, d[0], 2)),
                xs -> xs.get(0).triangularSolve(xs.get(1), false, true, false), LINALG));
        TABLE.add(new Case("triangularSolve(upper,right,unit)", Prim.TriangularSolve.class, (g, d) -> List.of(wellConditioned(g, d[0]), normal(g, 2, d[0])),
                xs -> xs.get(0).triangularSolve(xs.get(1), true, false, true), LINALG));
        TABLE.add(new Case("solve", Prim.Solve.class, (g, d) -> List.of(wellConditioned(g, d[0], 2), normal(g, 2, d[0], 2)),
                xs -> xs.get(0).solve(xs.get(1)), LINALG));
        TABLE.add(new Case("inverse", Prim.Inverse.class, (g, d) -> List.of(wellConditioned(g, d[0])), xs -> xs.getFirst().inverse(), LINALG));
        TABLE.add(new Case("det", Prim.Det.class, (g, d) -> List.of(wellConditioned(g, d[0], 2)), xs -> xs.getFirst().det(), LINALG));
        TABLE.add(new Case("cofactor (det's gradient)", Prim.Cofactor.class, (g, d) -> List.of(wellConditioned(g, d[0])),
                xs -> Tensor.apply(new Prim.Cofactor(), xs.getFirst()), LINALG));
        TABLE.add(new Case("solve(batch of vectors)", Prim.Solve.class, (g, d) -> List.of(wellConditioned(g, d[0], 2), normal(g, 2, d[0])),
                xs -> xs.get(0).solve(xs.get(1)), LINALG));
        TABLE.add(new Case("logdet", Prim.LogAbsDet.class, (g, d) -> List.of(wellConditioned(g, d[0], 2)), xs -> xs.getFirst().logdet(), LINALG));
        TABLE.add(new Case("logdet(spd via cholesky)", Prim.Cholesky.class, (g, d) -> List.of(normal(g, d[0], d[0])),
                xs -> spd(xs.getFirst()).cholesky().diagonal().log().sum().mul(2), LINALG));

        addIssue15Rows();
    }

    /** Values k + [0.1, 0.4] or k + [0.6, 0.9] for integers k: away from the steps of floor, ceil, trunc and round. */
    static NDArray offGrid(Generator g, int... shape) {
        NDArray k = normal(g, shape).mul(3).floor();
        return k.add(NDArray.where(NDArray.bernoulli(g, 0.5, shape), uniform(g, 0.1, 0.4, shape), uniform(g, 0.6, 0.9, shape)));
    }

    /** Normal values with about a third set to exactly 0 (prod and cumprod take their zero branches). */
    static NDArray withZeros(Generator g, int... shape) {
        return NDArray.where(NDArray.bernoulli(g, 0.3, shape), NDArray.zeros(DType.F64, shape), normal(g, shape));
    }

    /** The ops of issue 15: primitives (Rounding, Atan, Asin, Acos, Erfc, Erfcx, Atan2, Fmod, Prod) and composites. */
    static void addIssue15Rows() {
        Inputs any = one((g, s) -> normal(g, s));
        Inputs wide = one((g, s) -> normal(g, s).mul(3));
        Inputs pos = one((g, s) -> uniform(g, 0.5, 3, s));
        Inputs kinks = one((g, s) -> awayFromZero(g, s));
        Inputs unit = one((g, s) -> uniform(g, -0.9, 0.9, s));
        Inputs grid = one((g, s) -> offGrid(g, s));
        Inputs zeros = one((g, s) -> withZeros(g, s));
        // rounding: the function multiplies by x so that the zero gradient of the rounding is visible in the result
        TABLE.add(unary("floor", Prim.Rounding.class, x -> x.floor().mul(x), grid));
        TABLE.add(unary("ceil", Prim.Rounding.class, x -> x.ceil().mul(x), grid));
        TABLE.add(unary("round", Prim.Rounding.class, x -> x.round().mul(x), grid));
        TABLE.add(unary("trunc", Prim.Rounding.class, x -> x.trunc().mul(x), grid));
        TABLE.add(unary("frac (composite)", Prim.Rounding.class, x -> x.frac().mul(x), grid));
        TABLE.add(unary("atan", Prim.Atan.class, Tensor::atan, wide));
        TABLE.add(unary("asin", Prim.Asin.class, Tensor::asin, unit));
        TABLE.add(unary("acos", Prim.Acos.class, Tensor::acos, unit));
        TABLE.add(unary("erfc", Prim.Erfc.class, Tensor::erfc, any));
        TABLE.add(unary("erfcx", Prim.Erfcx.class, Tensor::erfcx, wide));
        TABLE.add(unary("rsqrt (composite)", Prim.Sqrt.class, Tensor::rsqrt, pos));
        TABLE.add(unary("tan (composite)", Prim.Div.class, Tensor::tan, one((g, s) -> uniform(g, -1.2, 1.2, s))));
        TABLE.add(unary("sinh (composite)", Prim.Expm1.class, Tensor::sinh, wide));
        TABLE.add(unary("cosh (composite)", Prim.Exp.class, Tensor::cosh, wide));
        TABLE.add(unary("asinh (composite)", Prim.Where.class, Tensor::asinh, wide));
        TABLE.add(unary("acosh (composite)", Prim.Where.class, Tensor::acosh, one((g, s) -> uniform(g, 1.1, 6, s))));
        TABLE.add(unary("atanh (composite)", Prim.Log1p.class, Tensor::atanh, unit));
        TABLE.add(unary("log2 (composite)", Prim.Log.class, Tensor::log2, pos));
        TABLE.add(unary("log10 (composite)", Prim.Log.class, Tensor::log10, pos));
        TABLE.add(unary("exp2 (composite)", Prim.Pow.class, Tensor::exp2, any));
        TABLE.add(unary("selu (composite)", Prim.Where.class, Tensor::selu, kinks));
        TABLE.add(unary("gelu (composite)", Prim.Erfc.class, Tensor::gelu, wide));
        TABLE.add(unary("geluTanh (composite)", Prim.Tanh.class, Tensor::geluTanh, wide));
        TABLE.add(unary("silu (composite)", Prim.Sigmoid.class, Tensor::silu, wide));
        TABLE.add(unary("mish (composite)", Prim.Softplus.class, Tensor::mish, wide));
        TABLE.add(unary("softsign (composite)", Prim.Abs.class, Tensor::softsign, kinks));
        TABLE.add(unary("hardtanh (composite)", Prim.Where.class, x -> x.hardtanh(-0.5, 0.5).mul(x), one((g, s) -> {
            // clear of the bounds ±0.5 by at least 0.05, as the clamp row
            NDArray u = uniform(g, 0.05, 0.45, s);
            NDArray v = NDArray.where(NDArray.bernoulli(g, 0.5, s), u, uniform(g, 0.55, 2, s));
            return NDArray.where(NDArray.bernoulli(g, 0.5, s), v, v.neg());
        })));
        TABLE.add(unary("logit (composite)", Prim.Log1p.class, Tensor::logit, one((g, s) -> uniform(g, 0.05, 0.95, s))));
        TABLE.add(unary("logit(eps) (composite)", Prim.Clamp.class, x -> x.logit(0.01), one((g, s) -> uniform(g, 0.05, 0.95, s))));

        // binary, the second input broadcast along the first dim as in the rows above
        Inputs pair = (g, d) -> List.of(normal(g, d[0], d[1]), normal(g, 1, d[1]));
        Inputs distinct = (g, d) -> {
            NDArray b = normal(g, 1, d[1]);
            return List.of(b.add(awayFromZero(g, d[0], d[1]).mul(0.5)), b);
        };
        // a = q·b with q off the integers, so a/b is clear of fmod's and remainder's jumps
        Inputs division = (g, d) -> {
            NDArray b = awayFromZero(g, 1, d[1]).mul(1.5);
            NDArray q = NDArray.where(NDArray.bernoulli(g, 0.5, d[0], d[1]), offGrid(g, d[0], d[1]), offGrid(g, d[0], d[1]).neg());
            return List.of(q.mul(b), b);
        };
        TABLE.add(new Case("atan2", Prim.Atan2.class, pair, xs -> xs.get(0).atan2(xs.get(1)), STD));
        TABLE.add(new Case("fmod", Prim.Fmod.class, division, xs -> xs.get(0).fmod(xs.get(1)).mul(xs.get(1)), STD));
        TABLE.add(new Case("remainder (composite)", Prim.Fmod.class, division, xs -> xs.get(0).remainder(xs.get(1)).mul(xs.get(0)), STD));
        TABLE.add(new Case("logaddexp (composite)", Prim.Maximum.class, distinct, xs -> xs.get(0).logaddexp(xs.get(1)), STD));
        TABLE.add(new Case("hypot (composite)", Prim.Sqrt.class, pair, xs -> xs.get(0).hypot(xs.get(1)), STD));
        TABLE.add(new Case("xlogy (composite)", Prim.Log.class, (g, d) -> List.of(withZeros(g, d[0], d[1]), uniform(g, 0.5, 3, 1, d[1])),
                xs -> xs.get(0).xlogy(xs.get(1)), STD));

        // reductions and scans
        TABLE.add(unary("prod(all)", Prim.Prod.class, Tensor::prod, one((g, s) -> uniform(g, 0.5, 1.5, s))));
        TABLE.add(unary("prod(dim1, zeros)", Prim.Prod.class, x -> x.prod(1), zeros));
        TABLE.add(unary("prod(dim0, keep, zeros)", Prim.Prod.class, x -> x.prod(new int[]{0}, true).mul(x), zeros));
        TABLE.add(unary("cumprod (composite)", Prim.Mul.class, x -> x.cumprod(1), zeros));
        TABLE.add(unary("logcumsumexp (composite)", Prim.Maximum.class, x -> x.logcumsumexp(1), wide));
        TABLE.add(unary("norm(1)", Prim.Abs.class, x -> x.norm(1, new int[]{1}, false), kinks));
        TABLE.add(unary("norm(2)", Prim.Sqrt.class, x -> x.norm(2, new int[]{1}, false), any));
        TABLE.add(unary("norm(inf)", Prim.Max.class, x -> x.norm(Double.POSITIVE_INFINITY), kinks));
        TABLE.add(unary("norm(3)", Prim.Pow.class, x -> x.norm(3, new int[]{0}, true), kinks));
        TABLE.add(unary("frobeniusNorm", Prim.Sqrt.class, Tensor::frobeniusNorm, any));
        TABLE.add(new Case("trace", Prim.Diagonal.class, (g, d) -> List.of(normal(g, d[0], d[1])), xs -> xs.getFirst().trace().exp(), STD));
        TABLE.add(unary("flip", Prim.IndexSelect.class, x -> x.flip(0, 1).mul(x), any));
        TABLE.add(unary("roll", Prim.Cat.class, x -> x.roll(new int[]{1, -2}, new int[]{0, 1}).mul(x), any));
        TABLE.add(unary("amax(0,1)", Prim.Max.class, x -> x.amax(new int[]{0, 1}, true).mul(x), any));
        TABLE.add(unary("amin(0)", Prim.Max.class, x -> x.amin(new int[]{0}, false).exp(), any));
    }

    /** A symmetric positive-definite matrix from any square X: (X + Xᵀ)/2 · 0.3 + n I. */
    static Tensor spd(Tensor x) {
        int n = x.shape(0);
        return x.add(x.mT()).mul(0.15).add(Tensor.eye(DType.F64, n).mul(n));
    }

    /** A rule of order 1: its primitive's name in messages and a scalar function of one input that goes through it. */
    record OrderOne(String name, Class<? extends Prim> prim, Function<Tensor, Tensor> f, NDArray at) {}

    /** Rules of order 1. First derivatives: standardGammaFirstOrder() (its finite differences need a quantile solve). */
    static final List<OrderOne> ORDER_ONE = List.of(
            new OrderOne("standardGamma", Prim.StandardGamma.class, a -> a.standardGamma(new Generator(5)).square().sum(),
                    NDArray.of(new double[]{0.6, 2.5})));

    @Test
    void everyPrimitiveIsInTheTable() {
        Set<Class<?>> covered = new HashSet<>();
        for (Case c : TABLE) covered.add(c.prim());
        for (OrderOne c : ORDER_ONE) covered.add(c.prim());
        covered.add(Prim.OnceDifferentiable.class); // the marker whose refusal orderOneRulesRefuseASecondDerivative() checks
        List<String> missing = new ArrayList<>();
        for (Class<?> p : Prim.all()) if (!covered.contains(p)) missing.add(p.getSimpleName());
        assertTrue(missing.isEmpty(), "primitives missing from the gradient-check table: " + missing);
    }

    @TestFactory
    Stream<DynamicTest> firstAndSecondDerivativesMatchFiniteDifferences() {
        return TABLE.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            int applied = 0;
            for (int trial = 0; trial < 3; trial++) {
                Generator g = new Generator(1000L * trial + c.name().hashCode());
                int[] dims = {1 + (int) (g.nextDouble() * 4), 1 + (int) (g.nextDouble() * 5)};
                List<Tensor> xs = new ArrayList<>();
                for (NDArray a : c.inputs().make(g, dims)) xs.add(Tensor.of(a));
                applied += assertDeclaredOrder(c, xs);
                GradCheck.check(c.f(), xs, 2, c.opt(), g);
            }
            assertTrue(applied > 0, c.name() + ": the function never applied " + c.prim().getSimpleName());
        }));
    }

    /**
     * The rows above are checked to second order, so each instance of the row's primitive must declare order 2 or more.
     * Returns how many instances the function applied.
     */
    private static int assertDeclaredOrder(Case c, List<Tensor> xs) {
        List<Tensor> xr = new ArrayList<>();
        for (Tensor x : xs) xr.add(Tensor.of(x.data()).requiresGrad(true));
        List<Prim> found = applied(c.f().apply(xr), c.prim());
        for (Prim p : found) assertTrue(p.derivativeOrder() >= 2, c.name() + ": " + p.opName() + " declares order " + p.derivativeOrder()
                + " but is checked to second order; move it to ORDER_ONE");
        return found.size();
    }

    /** The instances of {@code type} recorded in the graph of y. */
    private static List<Prim> applied(Tensor y, Class<? extends Prim> type) {
        List<Prim> found = new ArrayList<>();
        java.util.ArrayDeque<Tensor> todo = new java.util.ArrayDeque<>(List.of(y));
        Set<Tensor> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        while (!todo.isEmpty()) {
            Tensor t = todo.pop();
            if (t.node == null || !seen.add(t)) continue;
            if (type.isInstance(t.node.prim)) found.add(t.node.prim);
            todo.addAll(List.of(t.node.inputs));
        }
        return found;
    }

    /**
     * An order-1 rule declares it, and a second derivative through it (here a Hessian, as the Laplace approximation takes)
     * throws naming the primitive instead of returning a Hessian without the missing term.
     */
    @TestFactory
    Stream<DynamicTest> orderOneRulesRefuseASecondDerivative() {
        return ORDER_ONE.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            Tensor a = Tensor.of(c.at()).requiresGrad(true);
            Tensor y = c.f().apply(a);
            List<Prim> found = applied(y, c.prim());
            assertTrue(!found.isEmpty() && found.stream().allMatch(p -> p.derivativeOrder() == 1), c.name() + " must declare order 1");
            Tensor g = Autograd.grad(y, List.of(a), true).getFirst();          // first order, with createGraph, works
            assertTrue(java.util.Arrays.stream(g.toDoubleArray()).allMatch(Double::isFinite));
            Throwable e = org.junit.jupiter.api.Assertions.assertThrows(UnsupportedOperationException.class,
                    () -> Autograd.hessian(c.f(), Tensor.of(c.at())));
            assertTrue(e.getMessage().contains(c.name() + " is differentiable only once"), e.getMessage());
        }));
    }

    /** Binary primitives on random broadcastable shapes (leading dims added, size-1 dims stretched). */
    @Property(tries = 40)
    void binaryOpsBroadcastAndDifferentiate(@ForAll @IntRange(min = 1, max = 4) int d0, @ForAll @IntRange(min = 1, max = 5) int d1,
                                            @ForAll @IntRange(min = 0, max = 7) int pattern, @ForAll @IntRange(min = 0, max = 3) int op,
                                            @ForAll @IntRange(min = 0, max = 10000) int seed) {
        Generator g = new Generator(seed);
        int[] sa = {d0, d1};
        int[] sb = switch (pattern % 4) {
            case 0 -> new int[]{d1};
            case 1 -> new int[]{d0, 1};
            case 2 -> new int[]{1, d1};
            default -> new int[]{2, d0, d1};
        };
        if (pattern >= 4) { int[] t = sa; sa = sb; sb = t; }
        Tensor a = Tensor.of(uniform(g, 0.5, 2, sa)), b = Tensor.of(uniform(g, 0.5, 2, sb));
        Function<List<Tensor>, Tensor> f = switch (op) {
            case 0 -> xs -> xs.get(0).add(xs.get(1)).exp();
            case 1 -> xs -> xs.get(0).mul(xs.get(1)).sin();
            case 2 -> xs -> xs.get(0).div(xs.get(1));
            default -> xs -> xs.get(0).pow(xs.get(1));
        };
        GradCheck.check(f, List.of(a, b), 2, STD, g);
    }

    /**
     * StandardGamma is differentiable once (its VJP factor is a kernel), so it is checked to first order: the
     * pathwise derivative of a fixed-quantile sample. With u held fixed, x(α) = F⁻¹(u; α); finite differences
     * re-solve F(x; α ± ε) = u by Newton on gammaP.
     */
    @Test
    void standardGammaFirstOrder() {
        Generator g = new Generator(11);
        NDArray alpha = uniform(g, 0.3, 5, 6);
        Tensor a = Tensor.of(alpha).requiresGrad(true);
        Tensor x = a.standardGamma(new Generator(5));
        x.sum().backward();
        double[] u = alpha.gammaP(x.data()).toDoubleArray(), xs = x.toDoubleArray(), al = alpha.toDoubleArray();
        double[] grad = a.grad().toDoubleArray();
        for (int i = 0; i < al.length; i++) {
            double h = 1e-5;
            double fd = (quantile(al[i] + h, u[i], xs[i]) - quantile(al[i] - h, u[i], xs[i])) / (2 * h);
            org.junit.jupiter.api.Assertions.assertEquals(fd, grad[i], 1e-4 * (1 + Math.abs(fd)), "alpha " + al[i]);
        }
        assertTrue(Prim.all().contains(Prim.StandardGamma.class));
    }

    private static double quantile(double a, double u, double x0) {
        double x = x0;
        for (int i = 0; i < 100; i++) {
            double f = NDArray.scalar(DType.F64, a).gammaP(NDArray.scalar(DType.F64, x)).item() - u;
            double pdf = Math.exp((a - 1) * Math.log(x) - x - NDArray.scalar(DType.F64, a).lgamma().item());
            double step = f / pdf;
            x = Math.max(x - step, x / 10);
            if (Math.abs(step) < 1e-15 * x) break;
        }
        return x;
    }

    @Test
    void thirdOrderThroughTanhAndMatmul() {
        Generator g = new Generator(7);
        Tensor w = Tensor.of(normal(g, 3, 2)), x = Tensor.of(normal(g, 4, 3));
        GradCheck.check(xs -> xs.get(1).matmul(xs.get(0)).tanh().sum(), List.of(w, x), 3, new GradCheck.Options(1e-5, 1e-5, 1e-4), g);
    }
}
