package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;
import dev.deepprob.nn.Linear;
import dev.deepprob.nn.Mlp;
import dev.deepprob.nn.optim.Adam;
import dev.deepprob.prob.infer.Gan;
import dev.deepprob.prob.transforms.AffineTransform;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one default floating dtype (issue 14): every factory given only Java numbers follows {@link DType#defaultFloat()},
 * so a first maximum-likelihood program mixes parameters, data and distributions without a dtype mismatch.
 */
class DefaultDTypeTest {

    /** Every factory without a dtype, by the signature it is checked under; each returns the dtype it made. */
    static Map<String, Supplier<DType>> factories() {
        Map<String, Supplier<DType>> m = new LinkedHashMap<>();
        Generator g = new Generator(1);
        m.put("Tensor.of(double[],int[])", () -> Tensor.of(new double[]{1, 2, 3, 4}, 2, 2).dtype());
        m.put("Tensor.scalar(double)", () -> Tensor.scalar(1.5).dtype());
        m.put("Tensor.zeros(int[])", () -> Tensor.zeros(2, 3).dtype());
        m.put("Tensor.ones(int[])", () -> Tensor.ones(2).dtype());
        m.put("Tensor.full(double,int[])", () -> Tensor.full(0.5, 3).dtype());
        m.put("Tensor.eye(int)", () -> Tensor.eye(3).dtype());
        m.put("Tensor.linspace(double,double,int)", () -> Tensor.linspace(0, 1, 5).dtype());
        m.put("Tensor.randn(Generator,int[])", () -> Tensor.randn(g, 4).dtype());
        m.put("Tensor.rand(Generator,int[])", () -> Tensor.rand(g, 4).dtype());
        m.put("Tensor.uniform(Generator,double,double,int[])", () -> Tensor.uniform(g, -1, 1, 4).dtype());
        m.put("Linear(int,int,Generator)", () -> one(new Linear(2, 3, g).parameters()));
        m.put("Linear(int,int,boolean,Generator)", () -> one(new Linear(2, 3, false, g).parameters()));
        m.put("Mlp.of(...).build()", () -> one(Mlp.of(g, 2, 4, 1).build().parameters()));
        m.put("Gan.gaussianNoise(int)", () -> Gan.gaussianNoise(3).sample(g, 2).dtype());
        m.put("Normal(double,double)", () -> sampled(new Normal(3, 2), new Normal(3, 2).dtype(), g));
        m.put("LogNormal(double,double)", () -> sampled(new LogNormal(0, 1), new LogNormal(0, 1).dtype(), g));
        m.put("Laplace(double,double)", () -> sampled(new Laplace(0, 1), new Laplace(0, 1).dtype(), g));
        m.put("StudentT(double,double,double)", () -> sampled(new StudentT(3, 0, 1), new StudentT(3, 0, 1).dtype(), g));
        m.put("Uniform(double,double)", () -> sampled(new Uniform(-1, 2), new Uniform(-1, 2).dtype(), g));
        m.put("Gamma(double,double)", () -> sampled(new Gamma(2.0, 1.0), new Gamma(2.0, 1.0).dtype(), g));
        m.put("Beta(double,double)", () -> sampled(new Beta(2, 3), new Beta(2, 3).dtype(), g));
        m.put("Exponential(double)", () -> sampled(new Exponential(1.5), new Exponential(1.5).dtype(), g));
        m.put("Poisson(double)", () -> sampled(new Poisson(4.0), new Poisson(4.0).dtype(), g));
        m.put("Binomial.fromProbs(double,double)", () -> sampled(Binomial.fromProbs(20, 0.3), Binomial.fromProbs(20, 0.3).dtype(), g));
        m.put("Binomial.fromLogits(double,double)", () -> Binomial.fromLogits(20, -0.5).dtype());
        m.put("Bernoulli.fromProbs(double)", () -> sampled(Bernoulli.fromProbs(0.3), Bernoulli.fromProbs(0.3).dtype(), g));
        m.put("Bernoulli.fromLogits(double)", () -> Bernoulli.fromLogits(0.3).dtype());
        m.put("Categorical.fromProbs(double[])", () -> Categorical.fromProbs(0.2, 0.8).probs().dtype());
        m.put("Categorical.fromLogits(double[])", () -> Categorical.fromLogits(0.2, 0.8).dtype());
        m.put("OneHotCategorical.fromProbs(double[])", () -> sampled(OneHotCategorical.fromProbs(0.2, 0.8), OneHotCategorical.fromProbs(0.2, 0.8).dtype(), g));
        m.put("OneHotCategorical.fromLogits(double[])", () -> OneHotCategorical.fromLogits(0.2, 0.8).dtype());
        m.put("Dirichlet(double[])", () -> sampled(new Dirichlet(1, 2, 3), new Dirichlet(1, 2, 3).dtype(), g));
        return m;
    }

    /** The dtype shared by all of a module's parameters (fails if they differ). */
    private static DType one(List<Tensor> ps) {
        DType t = ps.getFirst().dtype();
        for (Tensor p : ps) assertEquals(t, p.dtype(), "parameters of one module in two dtypes");
        return t;
    }

    /** The distribution's dtype, after checking its samples carry it too. */
    private static DType sampled(Distribution d, DType t, Generator g) {
        assertEquals(t, d.sample(g, 3).dtype(), d + ": samples in another dtype than the parameters");
        return t;
    }

    @Test
    @SuppressWarnings("try")
    void everyFactoryWithoutADtypeFollowsTheDefault() {
        assertEquals(DType.F32, DType.defaultFloat(), "the default is F32 until set");
        for (DType want : List.of(DType.F32, DType.F64)) {
            try (DType.DefaultScope s = DType.withDefaultFloat(want)) {
                factories().forEach((name, f) -> assertEquals(want, f.get(), name + " under default " + want));
            }
        }
        DType.setDefaultFloat(DType.F64);
        try {
            factories().forEach((name, f) -> assertEquals(DType.F64, f.get(), name + " after setDefaultFloat(F64)"));
        } finally {
            DType.setDefaultFloat(DType.F32);
        }
        factories().forEach((name, f) -> assertEquals(DType.F32, f.get(), name + " after restoring F32"));
    }

    /** The table covers Tensor's every public factory that takes numbers, shapes and a generator but no dtype. */
    @Test
    void theTableCoversEveryDtypeLessTensorFactory() {
        Set<Class<?>> numbersOnly = Set.of(double.class, double[].class, int.class, int[].class, Generator.class);
        Set<String> found = new TreeSet<>();
        for (Method m : Tensor.class.getMethods()) {
            if (!Modifier.isStatic(m.getModifiers()) || m.getReturnType() != Tensor.class) continue;
            if (!numbersOnly.containsAll(Arrays.asList(m.getParameterTypes()))) continue;
            found.add("Tensor." + m.getName() + "(" + String.join(",", Arrays.stream(m.getParameterTypes()).map(Class::getSimpleName).toList()) + ")");
        }
        // index factories make I64 (torch.tril_indices is int64 whatever the default): no floating dtype to follow
        found.remove("Tensor.trilIndices(int,int,int)");
        Set<String> tabled = new TreeSet<>(factories().keySet());
        tabled.removeIf(k -> !k.startsWith("Tensor."));
        assertEquals(tabled, found, "Tensor factories without a dtype that the table misses (or lists wrongly)");
    }

    @Test
    @SuppressWarnings("try")
    void whatStatesADtypeKeepsIt() {
        for (DType def : List.of(DType.F32, DType.F64)) {
            try (DType.DefaultScope s = DType.withDefaultFloat(def)) {
                DType other = def == DType.F32 ? DType.F64 : DType.F32;
                assertEquals(other, Tensor.zeros(other, 2).dtype());
                assertEquals(other, Tensor.scalar(other, 1).dtype());
                assertEquals(other, Tensor.of(other, new double[]{1, 2}).dtype());
                assertEquals(other, new Normal(Tensor.scalar(other, 0), Tensor.scalar(other, 1)).dtype());
                assertEquals(other, new Linear(2, 2, true, other, new Generator(0)).weight().dtype());
                assertEquals(DType.F32, Tensor.of(new float[]{1, 2}).dtype(), "float[] states F32");
                assertEquals(DType.F64, NDArray.of(new double[]{1, 2}).dtype(), "the engine's NDArray.of(double[]) is F64");
                // a number transform is applied in x's dtype and not rounded by the default
                Tensor x = Tensor.scalar(DType.F64, 1);
                assertEquals(0.1 + 1e-9, new AffineTransform(0.1, 1e-9).forward(x).item(), 0);
            }
        }
        assertEquals(0.1f, Tensor.of(new double[]{0.1}).item(), 0, "F32 by default: 0.1 is rounded to float");
    }

    /**
     * The first maximum-likelihood program of the issue: data from Tensor.randn and from new Normal(3, 2), parameters
     * from Tensor factories, Adam on the mean negative log-likelihood. It must run with no dtype mismatch and reach the
     * closed-form estimates (sample mean, population sd), under the F32 default and under setDefaultFloat(F64).
     */
    @Test
    void aFirstMaximumLikelihoodProgramRunsUnderEitherDefault() {
        fitAndCheck(DType.F32, 2e-3);
        DType.setDefaultFloat(DType.F64);
        try {
            fitAndCheck(DType.F64, 1e-6);
        } finally {
            DType.setDefaultFloat(DType.F32);
        }
    }

    private static void fitAndCheck(DType want, double tol) {
        Generator gen = new Generator(14);
        Tensor data = Tensor.cat(List.of(Tensor.randn(gen, 200).mul(2).add(3), new Normal(3, 2).sample(gen, 200)), 0);
        Tensor loc = Tensor.zeros().requiresGrad(true);
        Tensor logScale = Tensor.scalar(0.0).requiresGrad(true);
        Adam adam = new Adam(List.of(loc, logScale), 0.05);
        for (int step = 0; step < 1500; step++) {
            Tensor nll = new Normal(loc, logScale.exp()).logProb(data).mean().neg();
            adam.zeroGrad();
            nll.backward();
            adam.step();
        }
        assertEquals(want, data.dtype());
        assertEquals(want, loc.dtype());
        double[] x = data.toDoubleArray();
        double mean = Arrays.stream(x).average().orElseThrow();
        double sd = Math.sqrt(Arrays.stream(x).map(v -> (v - mean) * (v - mean)).sum() / x.length);
        assertTrue(Math.abs(mean - 3) < 0.3 && Math.abs(sd - 2) < 0.3, "data drawn from N(3, 2²): mean " + mean + ", sd " + sd);
        assertEquals(mean, loc.item(), tol * Math.abs(mean), want + ": fitted loc is the sample mean");
        assertEquals(sd, Math.exp(logScale.item()), tol * sd, want + ": fitted scale is the sample sd");
    }
}
