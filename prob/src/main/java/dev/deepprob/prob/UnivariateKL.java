package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.NDArray;
import dev.deepprob.engine.Shapes;

/**
 * Closed-form KL divergences between the univariate distributions and the simplex ones (see {@link KL}), each
 * written in Tensor operations so it is differentiable in both distributions' parameters. KL(p || q) is +inf where
 * p puts mass outside q's support. Sources: same-family rules are the standard results collected in Penny (2001),
 * "KL-divergences of Normal, Gamma, Dirichlet and Wishart densities" (Normal, Gamma, Dirichlet and so Beta) and
 * Gil, Alajaji and Linder (2013), "Rényi divergence measures for commonly used univariate continuous
 * distributions" (Laplace, Exponential, Uniform; their KL limits); cross-family rules are
 * -H(p) - E_p[log q] with the entropy and the moments E_p[x], E_p[x²], E_p[|x - m|], E_p[log x] of p
 * (Johnson, Kotz and Balakrishnan), the same derivations as PyTorch's kl.py.
 */
final class UnivariateKL {
    private UnivariateKL() {}

    private static final double EULER_GAMMA = 0.57721566490153286061;
    private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

    static void registerAll() {
        KL.register(Normal.class, Normal.class, UnivariateKL::normalNormal);
        KL.register(LogNormal.class, LogNormal.class, (p, q) -> normalNormal(p.base(), q.base()));
        KL.register(Bernoulli.class, Bernoulli.class, UnivariateKL::bernoulliBernoulli);
        KL.register(Binomial.class, Binomial.class, UnivariateKL::binomialBinomial);
        KL.restrict(Binomial.class, Binomial.class, (p, q) -> !Params.anyTrue(p.totalCount().data().lt(q.totalCount().data().expand(
                dev.deepprob.engine.Shapes.broadcast("KL", p.batchShape(), q.batchShape())))));
        KL.register(Categorical.class, Categorical.class, UnivariateKL::categoricalCategorical);
        KL.register(OneHotCategorical.class, OneHotCategorical.class, (p, q) -> categoricalCategorical(p.categorical(), q.categorical()));
        KL.register(Beta.class, Beta.class, UnivariateKL::betaBeta);
        KL.register(Gamma.class, Gamma.class, UnivariateKL::gammaGamma);
        KL.register(Dirichlet.class, Dirichlet.class, UnivariateKL::dirichletDirichlet);
        KL.register(Uniform.class, Uniform.class, UnivariateKL::uniformUniform);
        KL.register(Laplace.class, Laplace.class, UnivariateKL::laplaceLaplace);
        KL.register(Exponential.class, Exponential.class, UnivariateKL::exponentialExponential);
        KL.register(Poisson.class, Poisson.class, UnivariateKL::poissonPoisson);
        KL.register(Exponential.class, Gamma.class, UnivariateKL::exponentialGamma);
        KL.register(Gamma.class, Exponential.class, UnivariateKL::gammaExponential);
        KL.register(Exponential.class, Normal.class, UnivariateKL::exponentialNormal);
        KL.register(Uniform.class, Normal.class, UnivariateKL::uniformNormal);
        KL.register(Uniform.class, Exponential.class, UnivariateKL::uniformExponential);
        KL.register(Uniform.class, Gamma.class, UnivariateKL::uniformGamma);
        KL.register(Normal.class, Laplace.class, UnivariateKL::normalLaplace);
        KL.register(Laplace.class, Normal.class, UnivariateKL::laplaceNormal);
    }

    /** Checks the pair has one dtype and broadcasting batch shapes; returns the broadcast batch shape. */
    private static int[] pair(Distribution p, Distribution q, Tensor pParam, Tensor qParam) {
        String op = "KL(" + p.getClass().getSimpleName() + " || " + q.getClass().getSimpleName() + ")";
        if (pParam.dtype() != qParam.dtype()) throw new IllegalArgumentException(op + ": dtype mismatch, " + pParam.dtype() + " and "
                + qParam.dtype() + " (convert one distribution's parameters)");
        try {
            return Shapes.broadcast(op, p.batchShape(), q.batchShape());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + ": batch shapes " + Shapes.str(p.batchShape()) + " and " + Shapes.str(q.batchShape())
                    + " do not broadcast");
        }
    }

    /** Where cond holds, +inf; elsewhere x (cond a BOOL mask broadcasting with x). */
    private static Tensor infWhere(NDArray cond, Tensor x) {
        if (!Params.anyTrue(cond)) return x;
        int[] s = Shapes.broadcast("KL", cond.dims(), x.dims());
        return Tensor.where(cond.expand(s), Tensor.full(x.dtype(), Double.POSITIVE_INFINITY, s), x.expand(s));
    }

    /** Where cond holds, 0; elsewhere x. */
    private static Tensor zeroWhere(NDArray cond, Tensor x) {
        if (!Params.anyTrue(cond)) return x;
        int[] s = Shapes.broadcast("KL", cond.dims(), x.dims());
        return Tensor.where(cond.expand(s), Tensor.zeros(x.dtype(), s), x.expand(s));
    }

    /** ½ (r + t - 1 - log r), r = (σp/σq)², t = ((μp - μq)/σq)² (Penny 2001, the normal case with d = 1). */
    static Tensor normalNormal(Normal p, Normal q) {
        pair(p, q, p.loc(), q.loc());
        Tensor r = p.scale().div(q.scale()).square();
        Tensor t = p.loc().sub(q.loc()).div(q.scale()).square();
        return r.add(t).sub(1).sub(r.log()).mul(0.5);
    }

    /**
     * p log(p/q) + (1 - p) log((1 - p)/(1 - q)) from the logits: log p = -softplus(-l), log(1 - p) = -softplus(l);
     * +inf where q puts no mass on an outcome p can take, 0·log 0 = 0 where p is 0 or 1.
     */
    static Tensor bernoulliBernoulli(Bernoulli p, Bernoulli q) {
        pair(p, q, p.probs(), q.probs());
        Tensor t1 = p.probs().mul(q.logits().neg().softplus().sub(p.logits().neg().softplus()));
        Tensor t2 = p.probs().rsub(1).mul(q.logits().softplus().sub(p.logits().softplus()));
        NDArray pp = p.probs().data(), qp = q.probs().data();
        t1 = infWhere(qp.eq(0).and(pp.gt(0)), zeroWhere(pp.eq(0), t1));
        t2 = infWhere(qp.eq(1).and(pp.lt(1)), zeroWhere(pp.eq(1), t2));
        return t1.add(t2);
    }

    /**
     * n · KL(Bernoulli(p) || Bernoulli(q)) for equal counts n; +inf where p's count exceeds q's (p can exceed q's
     * support). Smaller counts in p have no closed form and throw.
     */
    static Tensor binomialBinomial(Binomial p, Binomial q) {
        pair(p, q, p.probs(), q.probs());
        NDArray np = p.totalCount().data(), nq = q.totalCount().data();
        if (Params.anyTrue(np.lt(nq))) throw new IllegalArgumentException("KL(Binomial || Binomial): no closed form where p's "
                + "totalCount is smaller than q's; use KL.monteCarlo");
        Tensor b = bernoulliBernoulli(Bernoulli.fromLogits(p.logits(), false), Bernoulli.fromLogits(q.logits(), false));
        // the Bernoulli rule on logits cannot see exact 0/1 probabilities of probs-built distributions: redo its masks
        NDArray pp = p.probs().data(), qp = q.probs().data();
        Tensor t = p.totalCount().mul(b);
        t = infWhere(qp.eq(0).and(pp.gt(0)).or(qp.eq(1).and(pp.lt(1))), t);
        return infWhere(np.gt(nq), t);
    }

    /** Σᵢ pᵢ (log pᵢ - log qᵢ); +inf where qᵢ = 0 &lt; pᵢ, terms with pᵢ = 0 are 0. */
    static Tensor categoricalCategorical(Categorical p, Categorical q) {
        pair(p, q, p.probs(), q.probs());
        if (p.numCategories() != q.numCategories()) throw new IllegalArgumentException("KL(Categorical || Categorical): "
                + "numbers of categories differ, " + p.numCategories() + " and " + q.numCategories());
        NDArray pp = p.probs().data(), qp = q.probs().data();
        // the log-ratio is zeroed where p = 0 before the product, so -inf logits give 0, not 0·(-inf) = NaN (nor a NaN gradient)
        Tensor t = p.probs().mul(zeroWhere(pp.eq(0), p.logits().sub(q.logits())));
        t = infWhere(qp.eq(0).and(pp.gt(0)), t);
        return t.sum(new int[]{-1}, false);
    }

    /**
     * log B(α₂, β₂) - log B(α₁, β₁) + (α₁ - α₂) ψ(α₁) + (β₁ - β₂) ψ(β₁) + (α₂ - α₁ + β₂ - β₁) ψ(α₁ + β₁): the
     * Dirichlet rule (Penny 2001) with k = 2.
     */
    static Tensor betaBeta(Beta p, Beta q) {
        pair(p, q, p.concentration1(), q.concentration1());
        Tensor a1 = p.concentration1(), b1 = p.concentration0(), a2 = q.concentration1(), b2 = q.concentration0();
        Tensor s1 = a1.add(b1);
        return Beta.logBeta(a2, b2).sub(Beta.logBeta(a1, b1)).add(a1.sub(a2).mul(a1.digamma())).add(b1.sub(b2).mul(b1.digamma()))
                .add(a2.sub(a1).add(b2).sub(b1).mul(s1.digamma()));
    }

    /**
     * (α₁ - α₂) ψ(α₁) - log Γ(α₁) + log Γ(α₂) + α₂ (log β₁ - log β₂) + α₁ (β₂ - β₁)/β₁ for shapes α and rates β
     * (Penny 2001, gamma densities, rewritten from scale to rate).
     */
    static Tensor gammaGamma(Gamma p, Gamma q) {
        pair(p, q, p.concentration(), q.concentration());
        Tensor a1 = p.concentration(), r1 = p.rate(), a2 = q.concentration(), r2 = q.rate();
        return a1.sub(a2).mul(a1.digamma()).sub(a1.lgamma()).add(a2.lgamma()).add(a2.mul(r1.log().sub(r2.log())))
                .add(a1.mul(r2.sub(r1)).div(r1));
    }

    /** log Γ(α₀) - Σ log Γ(αᵢ) - log Γ(β₀) + Σ log Γ(βᵢ) + Σ (αᵢ - βᵢ)(ψ(αᵢ) - ψ(α₀)) (Penny 2001, Dirichlet densities). */
    static Tensor dirichletDirichlet(Dirichlet p, Dirichlet q) {
        pair(p, q, p.concentration(), q.concentration());
        int kp = p.eventShape()[0], kq = q.eventShape()[0];
        if (kp != kq) throw new IllegalArgumentException("KL(Dirichlet || Dirichlet): event shapes differ, [" + kp + "] and [" + kq + "]");
        Tensor a = p.concentration(), b = q.concentration();
        int[] last = {-1};
        Tensor a0 = a.sum(last, true), b0 = b.sum(last, false);
        Tensor t = a.sub(b).mul(a.digamma().sub(a0.digamma())).sum(last, false);
        return a0.squeeze(-1).lgamma().sub(a.lgamma().sum(last, false)).sub(b0.lgamma()).add(b.lgamma().sum(last, false)).add(t);
    }

    /** log((h_q - l_q)/(h_p - l_p)) when [l_p, h_p] ⊆ [l_q, h_q], else +inf (Gil et al. 2013, Rényi order α → 1). */
    static Tensor uniformUniform(Uniform p, Uniform q) {
        pair(p, q, p.low(), q.low());
        Tensor kl = q.high().sub(q.low()).log().sub(p.high().sub(p.low()).log());
        NDArray outside = q.low().data().gt(p.low().data()).or(q.high().data().lt(p.high().data()));
        return infWhere(outside, kl);
    }

    /** log(b_q/b_p) + |μ_p - μ_q|/b_q + (b_p/b_q) exp(-|μ_p - μ_q|/b_p) - 1 (Gil et al. 2013, Rényi order α → 1). */
    static Tensor laplaceLaplace(Laplace p, Laplace q) {
        pair(p, q, p.loc(), q.loc());
        Tensor ratio = p.scale().div(q.scale());
        Tensor d = p.loc().sub(q.loc()).abs();
        return ratio.log().neg().add(d.div(q.scale())).add(ratio.mul(d.div(p.scale()).neg().exp())).sub(1);
    }

    /** r - 1 - log r with r = λ_q/λ_p (= log(λ_p/λ_q) + λ_q/λ_p - 1; Gil et al. 2013). */
    static Tensor exponentialExponential(Exponential p, Exponential q) {
        pair(p, q, p.rate(), q.rate());
        Tensor r = q.rate().div(p.rate());
        return r.sub(1).sub(r.log());
    }

    /** λ_p log(λ_p/λ_q) - λ_p + λ_q, with 0·log 0 = 0 and +inf where λ_q = 0 &lt; λ_p. */
    static Tensor poissonPoisson(Poisson p, Poisson q) {
        pair(p, q, p.rate(), q.rate());
        Tensor lp = p.rate(), lq = q.rate();
        NDArray qZero = lq.data().eq(0);
        Tensor safeQ = Params.anyTrue(qZero) ? Tensor.where(qZero, Tensor.onesLike(lq), lq) : lq;
        Tensor kl = Params.xlogy(lp, lp).sub(Params.xlogy(lp, safeQ)).sub(lp).add(lq);
        return infWhere(qZero.and(lp.data().gt(0)), kl);
    }

    /**
     * -H(Exp(λ)) - E[log Gamma(x; α, β)] = log Γ(α) - α log(β/λ) + (α - 1) γ + β/λ - 1, using E[x] = 1/λ and
     * E[log x] = -γ - log λ for x ~ Exp(λ) (γ Euler's constant).
     */
    static Tensor exponentialGamma(Exponential p, Gamma q) {
        pair(p, q, p.rate(), q.rate());
        Tensor lam = p.rate(), a = q.concentration(), b = q.rate();
        return a.lgamma().sub(a.mul(b.div(lam).log())).add(a.sub(1).mul(EULER_GAMMA)).add(b.div(lam)).sub(1);
    }

    /** -H(Gamma(α, β)) - log λ + λ α/β. */
    static Tensor gammaExponential(Gamma p, Exponential q) {
        pair(p, q, p.rate(), q.rate());
        return p.entropy().neg().sub(q.rate().log()).add(q.rate().mul(p.concentration()).div(p.rate()));
    }

    /** -H(Exp(λ)) + log σ + ½ log 2π + E[(x - μ)²]/(2σ²), E[(x - μ)²] = 2/λ² - 2μ/λ + μ². */
    static Tensor exponentialNormal(Exponential p, Normal q) {
        pair(p, q, p.rate(), q.loc());
        Tensor lam = p.rate(), mu = q.loc(), s = q.scale();
        Tensor m1 = lam.reciprocal();
        Tensor e2 = m1.square().mul(2).sub(mu.mul(m1).mul(2)).add(mu.square());
        return p.entropy().neg().add(s.log()).add(HALF_LOG_2PI).add(e2.div(s.square().mul(2)));
    }

    /** -log(h - l) + log σ + ½ log 2π + ((h - l)²/12 + ((h + l)/2 - μ)²)/(2σ²). */
    static Tensor uniformNormal(Uniform p, Normal q) {
        pair(p, q, p.low(), q.loc());
        Tensor w = p.high().sub(p.low());
        Tensor e2 = w.square().div(12).add(p.mean().sub(q.loc()).square());
        return w.log().neg().add(q.scale().log()).add(HALF_LOG_2PI).add(e2.div(q.scale().square().mul(2)));
    }

    /** -log(h - l) - log λ + λ (h + l)/2 when l &gt;= 0, else +inf. */
    static Tensor uniformExponential(Uniform p, Exponential q) {
        pair(p, q, p.low(), q.rate());
        Tensor kl = p.entropy().neg().sub(q.rate().log()).add(q.rate().mul(p.mean()));
        return infWhere(p.low().data().lt(0), kl);
    }

    /**
     * -log(h - l) + log Γ(α) - α log β - (α - 1) E[log x] + β (h + l)/2 with E[log x] = (h log h - l log l)/(h - l) - 1,
     * when l &gt;= 0, else +inf.
     */
    static Tensor uniformGamma(Uniform p, Gamma q) {
        pair(p, q, p.low(), q.rate());
        Tensor l = p.low(), h = p.high(), a = q.concentration(), b = q.rate();
        NDArray negative = l.data().lt(0);
        Tensor lSafe = Params.anyTrue(negative) ? Tensor.where(negative, Tensor.zerosLike(l), l) : l;
        Tensor w = h.sub(lSafe);
        Tensor eLog = Params.xlogy(h, h).sub(Params.xlogy(lSafe, lSafe)).div(w).sub(1);
        Tensor kl = w.log().neg().add(a.lgamma()).sub(a.mul(b.log())).sub(a.sub(1).mul(eLog)).add(b.mul(h.add(lSafe)).mul(0.5));
        return infWhere(negative, kl);
    }

    /**
     * -½ log(2πeσ²) + log(2b) + E|x - m|/b for x ~ N(μ, σ²): E|x - m| = σ √(2/π) exp(-d²/(2σ²)) + d erf(d/(σ√2)),
     * d = μ - m (the folded normal mean, Leone, Nelson and Nottingham 1961).
     */
    static Tensor normalLaplace(Normal p, Laplace q) {
        pair(p, q, p.loc(), q.loc());
        Tensor s = p.scale(), d = p.loc().sub(q.loc()), b = q.scale();
        Tensor z = d.div(s);
        Tensor absMean = s.mul(Math.sqrt(2 / Math.PI)).mul(z.square().mul(-0.5).exp()).add(d.mul(z.div(Math.sqrt(2)).erf()));
        return p.entropy().neg().add(b.mul(2).log()).add(absMean.div(b));
    }

    /** -(1 + log 2b) + log σ + ½ log 2π + (2b² + (m - μ)²)/(2σ²). */
    static Tensor laplaceNormal(Laplace p, Normal q) {
        pair(p, q, p.loc(), q.loc());
        Tensor e2 = p.scale().square().mul(2).add(p.loc().sub(q.loc()).square());
        return p.entropy().neg().add(q.scale().log()).add(HALF_LOG_2PI).add(e2.div(q.scale().square().mul(2)));
    }
}
