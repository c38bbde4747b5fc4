package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.NDArray;
import dev.deepprob.engine.Shapes;

import java.util.List;

/**
 * The KL rules torch 1.13 registers that the first set of rules (UnivariateKL) lacks: Beta against Exponential, Gamma,
 * Normal, Uniform and ContinuousBernoulli; Gamma-Normal; Uniform against Beta, Gumbel, Pareto and ContinuousBernoulli; the
 * Gumbel, Pareto, Cauchy, Geometric, HalfNormal and ContinuousBernoulli rules; Bernoulli-Poisson; the pairs that are +inf
 * because p puts mass outside q's support (a real or half-line p against a bounded or half-line q, Poisson against
 * Bernoulli and Binomial); and KL between two TransformedDistributions with equal transforms (the bases' KL, since an
 * injective map leaves KL unchanged). Each closed form is -H(p) - E_p[log q] with the moments of p (E x, E x², E log x,
 * E e^(-x/s)), the derivations of torch's kl.py; Cauchy's is Chyzak and Nielsen (2019), "A closed-form formula for the
 * Kullback-Leibler divergence between Cauchy distributions"; Pareto's Gil (2011), MSc thesis, Queen's University.
 * Where torch's rule is wrong the library differs and its tests say so: torch's ContinuousBernoulli-Uniform and
 * Uniform-ContinuousBernoulli are +inf for U(0, 1) itself.
 */
final class CrossFamilyKL {
    private CrossFamilyKL() {}

    private static final double EULER_GAMMA = 0.57721566490153286061;
    private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

    static void registerAll() {
        // ---------------------------------------------------------------- +inf by the supports
        for (Class<? extends Distribution> p : List.of(Normal.class, Laplace.class, Gumbel.class)) {
            for (Class<? extends Distribution> q : List.of(Exponential.class, Gamma.class, Pareto.class, Uniform.class, Beta.class,
                    ContinuousBernoulli.class)) KL.register(p, q, CrossFamilyKL::infinite);
        }
        for (Class<? extends Distribution> p : List.of(Exponential.class, Gamma.class, Pareto.class)) {
            for (Class<? extends Distribution> q : List.of(Uniform.class, Beta.class, ContinuousBernoulli.class)) KL.register(p, q, CrossFamilyKL::infinite);
        }
        KL.register(Exponential.class, Pareto.class, CrossFamilyKL::infinite);
        KL.register(Gamma.class, Pareto.class, CrossFamilyKL::infinite);
        KL.register(Beta.class, Pareto.class, CrossFamilyKL::infinite);
        KL.register(ContinuousBernoulli.class, Pareto.class, CrossFamilyKL::infinite);
        KL.register(Poisson.class, Bernoulli.class, (p, q) -> poissonFinite(p, q.logits().softplus()));
        KL.register(Poisson.class, Binomial.class, (p, q) -> poissonFinite(p, q.totalCount().mul(q.logits().softplus())));

        // ---------------------------------------------------------------- closed forms
        KL.register(Bernoulli.class, Poisson.class, CrossFamilyKL::bernoulliPoisson);
        KL.register(Beta.class, Exponential.class, (p, q) -> p.entropy().neg().sub(q.rate().log()).add(q.rate().mul(p.mean())));
        KL.register(Beta.class, Gamma.class, CrossFamilyKL::betaGamma);
        KL.register(Beta.class, Normal.class, (p, q) -> normalCross(p.entropy(), p.mean(), p.variance(), q));
        KL.register(Beta.class, Uniform.class, (p, q) -> infWhere(q.low().data().gt(0).or(q.high().data().lt(1)),
                p.entropy().neg().add(q.high().sub(q.low()).log())));
        KL.register(Beta.class, ContinuousBernoulli.class, (p, q) -> p.entropy().neg().sub(q.expectedLogDensity(p.mean())));
        KL.register(Gamma.class, Normal.class, (p, q) -> normalCross(p.entropy(), p.mean(), p.variance(), q));
        KL.register(Gamma.class, Gumbel.class, CrossFamilyKL::gammaGumbel);
        KL.register(Exponential.class, Gumbel.class, (p, q) -> gammaGumbel(new Gamma(Tensor.onesLike(p.rate()), p.rate(), false), q));
        KL.register(Normal.class, Gumbel.class, CrossFamilyKL::normalGumbel);
        KL.register(Gumbel.class, Normal.class, (p, q) -> normalCross(p.entropy(), p.mean(), p.variance(), q));
        KL.register(Gumbel.class, Gumbel.class, CrossFamilyKL::gumbelGumbel);
        KL.register(Uniform.class, Beta.class, CrossFamilyKL::uniformBeta);
        KL.register(Uniform.class, Gumbel.class, CrossFamilyKL::uniformGumbel);
        KL.register(Uniform.class, Pareto.class, CrossFamilyKL::uniformPareto);
        KL.register(Uniform.class, ContinuousBernoulli.class, (p, q) -> infWhere(p.low().data().lt(0).or(p.high().data().gt(1)),
                p.entropy().neg().sub(q.expectedLogDensity(p.mean()))));
        KL.register(ContinuousBernoulli.class, ContinuousBernoulli.class, (p, q) -> p.expectedLogDensity(p.mean()).sub(q.expectedLogDensity(p.mean())));
        KL.register(ContinuousBernoulli.class, Exponential.class, (p, q) -> p.entropy().neg().sub(q.rate().log()).add(q.rate().mul(p.mean())));
        KL.register(ContinuousBernoulli.class, Normal.class, (p, q) -> normalCross(p.entropy(), p.mean(), p.variance(), q));
        KL.register(ContinuousBernoulli.class, Uniform.class, (p, q) -> infWhere(q.low().data().gt(0).or(q.high().data().lt(1)),
                p.entropy().neg().add(q.high().sub(q.low()).log())));
        KL.register(Pareto.class, Pareto.class, CrossFamilyKL::paretoPareto);
        KL.register(Pareto.class, Exponential.class, CrossFamilyKL::paretoExponential);
        KL.register(Pareto.class, Gamma.class, CrossFamilyKL::paretoGamma);
        KL.register(Pareto.class, Normal.class, CrossFamilyKL::paretoNormal);
        KL.register(Cauchy.class, Cauchy.class, (p, q) -> p.scale().add(q.scale()).square().add(p.loc().sub(q.loc()).square()).log()
                .sub(p.scale().mul(q.scale()).mul(4).log()));
        KL.register(HalfNormal.class, HalfNormal.class, (p, q) -> UnivariateKL.normalNormal(new Normal(Tensor.zerosLike(p.scale()), p.scale(), false),
                new Normal(Tensor.zerosLike(q.scale()), q.scale(), false)));
        KL.register(Geometric.class, Geometric.class, (p, q) -> p.entropy().neg().add(q.logits().softplus().div(p.probs()))
                .sub(q.logits()));
        KL.register(OneHotCategoricalStraightThrough.class, OneHotCategoricalStraightThrough.class,
                (p, q) -> UnivariateKL.categoricalCategorical(p.oneHotCategorical().categorical(), q.oneHotCategorical().categorical()));
        KL.register(TransformedDistribution.class, TransformedDistribution.class, CrossFamilyKL::transformed);
        KL.restrict(TransformedDistribution.class, TransformedDistribution.class, (p, q) -> p.transforms().equals(q.transforms())
                && java.util.Arrays.equals(p.eventShape(), q.eventShape()) && KL.hasClosedForm(p.base(), q.base()));
    }

    /** The broadcast batch shape of the pair, checked (and the dtypes equal), naming the pair. */
    private static int[] pair(Distribution p, Distribution q) {
        String op = "KL(" + p.getClass().getSimpleName() + " || " + q.getClass().getSimpleName() + ")";
        if (p.dtype() != q.dtype()) throw new IllegalArgumentException(op + ": dtype mismatch, " + p.dtype() + " and " + q.dtype()
                + " (convert one distribution's parameters)");
        try {
            return Shapes.broadcast(op, p.batchShape(), q.batchShape());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + ": batch shapes " + Shapes.str(p.batchShape()) + " and " + Shapes.str(q.batchShape())
                    + " do not broadcast");
        }
    }

    /** +inf of the pair's batch shape: p gives positive mass to a set q gives none. */
    static Tensor infinite(Distribution p, Distribution q) {
        return Tensor.full(p.dtype(), Double.POSITIVE_INFINITY, pair(p, q));
    }

    private static Tensor infWhere(NDArray cond, Tensor x) {
        if (!Params.anyTrue(cond)) return x;
        int[] s = Shapes.broadcast("KL", cond.dims(), x.dims());
        return Tensor.where(cond.expand(s), Tensor.full(x.dtype(), Double.POSITIVE_INFINITY, s), x.expand(s));
    }

    /**
     * Poisson(λ) against a law on 0 .. n: +inf where λ &gt; 0 (p reaches past n); at λ = 0, p is the point mass at 0 and the KL
     * is -log q(0), {@code minusLogQ0}.
     */
    private static Tensor poissonFinite(Poisson p, Tensor minusLogQ0) {
        Tensor r = minusLogQ0.mul(1.0).add(p.rate().mul(0));
        return infWhere(p.rate().data().gt(0), r);
    }

    /** -H(Bernoulli(π)) - E[k log λ - λ - log k!] = -H - π log λ + λ (log k! = 0 for k = 0, 1). */
    static Tensor bernoulliPoisson(Bernoulli p, Poisson q) {
        pair(p, q);
        return p.entropy().neg().sub(Params.xlogy(p.probs(), q.rate())).add(q.rate());
    }

    /** -H(p) + ½ log 2π + log σ + (Var p + (E p - μ)²)/(2σ²): the cross-entropy against N(μ, σ²) from p's first two moments. */
    static Tensor normalCross(Tensor entropy, Tensor mean, Tensor variance, Normal q) {
        Tensor s = q.scale();
        return entropy.neg().add(HALF_LOG_2PI).add(s.log()).add(variance.add(mean.sub(q.loc()).square()).div(s.square().mul(2)));
    }

    /** -H(p) + log Γ(α) - α log β - (α - 1) E log x + β E x with E log x = ψ(a) - ψ(a + b) for p = Beta(a, b). */
    static Tensor betaGamma(Beta p, Gamma q) {
        pair(p, q);
        Tensor a = p.concentration1(), b = p.concentration0(), k = q.concentration(), r = q.rate();
        Tensor eLog = a.digamma().sub(a.add(b).digamma());
        return p.entropy().neg().add(k.lgamma()).sub(k.mul(r.log())).sub(k.sub(1).mul(eLog)).add(r.mul(p.mean()));
    }

    /**
     * -H(Gamma(α, β)) + log s + (E x - m)/s + e^(m/s) E e^(-x/s) with E e^(-x/s) = (1 + 1/(βs))^(-α) (the Gamma's moment
     * generating function), as torch.
     */
    static Tensor gammaGumbel(Gamma p, Gumbel q) {
        pair(p, q);
        Tensor a = p.concentration(), bs = p.rate().mul(q.scale()), ls = q.loc().div(q.scale());
        Tensor t1 = a.sub(1).mul(a.digamma()).sub(a.lgamma()).sub(a);
        Tensor t2 = bs.log().add(a.div(bs));
        Tensor t3 = ls.exp().mul(bs.reciprocal().log1p().mul(a).neg().exp()).sub(ls);
        return t1.add(t2).add(t3);
    }

    /** -H(N(μ, σ²)) + log s + (μ - m)/s + exp(-(μ - m)/s + σ²/(2s²)) (the normal's moment generating function). */
    static Tensor normalGumbel(Normal p, Gumbel q) {
        pair(p, q);
        Tensor d = p.loc().sub(q.loc()).div(q.scale()), v = p.scale().div(q.scale()).square();
        return v.log().mul(-0.5).add(d).add(d.neg().add(v.mul(0.5)).exp()).sub(0.5 * (1 + Math.log(2 * Math.PI)));
    }

    /** log(s_q/s_p) + γ (s_p/s_q - 1) + (m_p - m_q)/s_q + exp((m_q - m_p)/s_q) Γ(1 + s_p/s_q) - 1, as torch. */
    static Tensor gumbelGumbel(Gumbel p, Gumbel q) {
        pair(p, q);
        Tensor c1 = p.scale().div(q.scale()), c2 = q.loc().div(q.scale()), c3 = p.loc().div(q.scale());
        Tensor t1 = c1.log().neg().sub(c2).add(c3);
        Tensor t3 = c2.add(c1.add(1).lgamma()).sub(c3).exp();
        return t1.add(c1.mul(EULER_GAMMA)).add(t3).sub(1 + EULER_GAMMA);
    }

    /**
     * -log(h - l) - (a - 1) E log x - (b - 1) E log(1 - x) + log B(a, b) for x ~ U(l, h) inside [0, 1], with
     * E log x = (h log h - l log l)/(h - l) - 1 and likewise for 1 - x; +inf where [l, h] leaves [0, 1].
     */
    static Tensor uniformBeta(Uniform p, Beta q) {
        pair(p, q);
        NDArray outside = p.high().data().gt(1).or(p.low().data().lt(0));
        Tensor l = p.low(), h = p.high();
        if (Params.anyTrue(outside)) {
            l = Tensor.where(outside, Tensor.zerosLike(l), l);
            h = Tensor.where(outside, Tensor.onesLike(h), h);
        }
        Tensor w = h.sub(l);
        Tensor eLogX = Params.xlogy(h, h).sub(Params.xlogy(l, l)).sub(w).div(w);
        Tensor oh = h.rsub(1), ol = l.rsub(1);
        Tensor eLog1mX = Params.xlogy(ol, ol).sub(Params.xlogy(oh, oh)).sub(w).div(w);
        Tensor kl = w.log().neg().sub(q.concentration1().sub(1).mul(eLogX)).sub(q.concentration0().sub(1).mul(eLog1mX))
                .add(Beta.logBeta(q.concentration1(), q.concentration0()));
        return infWhere(outside, kl);
    }

    /** log(s/(h - l)) + ((h - m) + (l - m))/(2s) - s/(h - l) (e^(-(h - m)/s) - e^(-(l - m)/s)), as torch. */
    static Tensor uniformGumbel(Uniform p, Gumbel q) {
        pair(p, q);
        Tensor c = q.scale().div(p.high().sub(p.low()));
        Tensor hd = p.high().sub(q.loc()).div(q.scale()), ld = p.low().sub(q.loc()).div(q.scale());
        return c.log().add(hd.add(ld).mul(0.5)).sub(c.mul(hd.neg().exp().sub(ld.neg().exp())));
    }

    /** (α + 1) E log x - log(α s^α (h - l)) for x ~ U(l, h) with l &gt;= s; +inf where l &lt; s. */
    static Tensor uniformPareto(Uniform p, Pareto q) {
        pair(p, q);
        NDArray below = p.low().data().lt(q.scale().data());
        Tensor l = p.low();
        if (Params.anyTrue(below)) l = Tensor.where(below, q.scale().expand(l.dims()), l);
        Tensor h = Tensor.where(below, l.add(1), p.high());
        Tensor w = h.sub(l);
        Tensor eLog = Params.xlogy(h, h).sub(Params.xlogy(l, l)).sub(w).div(w);
        Tensor a = q.alpha();
        Tensor kl = eLog.mul(a.add(1)).sub(a.log().add(a.mul(q.scale().log())).add(w.log()));
        return infWhere(below, kl);
    }

    /** α_q log(s_p/s_q) - log(α_q/α_p) + α_q/α_p - 1 where s_p &gt;= s_q, else +inf (Gil 2011). */
    static Tensor paretoPareto(Pareto p, Pareto q) {
        pair(p, q);
        Tensor ar = q.alpha().div(p.alpha());
        Tensor kl = q.alpha().mul(p.scale().div(q.scale()).log()).sub(ar.log()).add(ar).sub(1);
        return infWhere(p.scale().data().lt(q.scale().data()), kl);
    }

    /** log(α/(sλ)) - 1/α + α s λ/(α - 1) - 1 for α &gt; 1 (where p has a mean), else +inf. */
    static Tensor paretoExponential(Pareto p, Exponential q) {
        pair(p, q);
        Tensor a = safeAlpha(p, 1), sr = p.scale().mul(q.rate());
        Tensor kl = a.div(sr).log().sub(a.reciprocal()).add(a.mul(sr).div(a.sub(1))).sub(1);
        return infWhere(p.alpha().data().le(1), kl);
    }

    /** α &gt; 1 + 1 kept where the rule is +inf, so that no NaN reaches the unused branch or its gradient. */
    private static Tensor safeAlpha(Pareto p, double min) {
        NDArray bad = p.alpha().data().le(min);
        return Params.anyTrue(bad) ? Tensor.where(bad, Tensor.full(p.dtype(), min + 1, p.alpha().dims()), p.alpha()) : p.alpha();
    }

    /** log α - log s - 1/α + log Γ(k) - k log β + (1 - k)(log s + 1/α) + β α s/(α - 1) - 1 for α &gt; 1, else +inf. */
    static Tensor paretoGamma(Pareto p, Gamma q) {
        pair(p, q);
        Tensor a = safeAlpha(p, 1), k = q.concentration(), r = q.rate();
        Tensor common = p.scale().log().add(a.reciprocal());
        Tensor kl = a.log().sub(common).add(k.lgamma()).sub(k.mul(r.log())).add(k.rsub(1).mul(common)).add(r.mul(a).mul(p.scale())
                .div(a.sub(1))).sub(1);
        return infWhere(p.alpha().data().le(1), kl);
    }

    /** The normal cross-entropy with Pareto's mean α s/(α - 1) and variance α s²/((α - 1)²(α - 2)), for α &gt; 2, else +inf. */
    static Tensor paretoNormal(Pareto p, Normal q) {
        pair(p, q);
        Tensor a = safeAlpha(p, 2), s = p.scale();
        Tensor mean = a.mul(s).div(a.sub(1));
        Tensor var = a.mul(s.square()).div(a.sub(1).square().mul(a.sub(2)));
        Tensor entropy = s.div(a).log().add(a.reciprocal()).add(1);
        return infWhere(p.alpha().data().le(2), normalCross(entropy, mean, var, q));
    }

    /** KL of the bases: an injective map leaves KL unchanged; only for equal transforms and event shapes (as torch). */
    static Tensor transformed(TransformedDistribution p, TransformedDistribution q) {
        if (!p.transforms().equals(q.transforms())) throw new IllegalArgumentException("KL(TransformedDistribution || "
                + "TransformedDistribution): the transforms differ (" + p.transforms() + " and " + q.transforms() + "); estimate it with "
                + "KL.monteCarlo");
        if (!java.util.Arrays.equals(p.eventShape(), q.eventShape())) throw new IllegalArgumentException("KL(TransformedDistribution || "
                + "TransformedDistribution): event shapes differ, " + Shapes.str(p.eventShape()) + " and " + Shapes.str(q.eventShape()));
        return KL.divergence(p.base(), q.base());
    }
}
