package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.Generator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * KL(p || q) from a registry of closed forms, as torch.distributions.kl: among the registered pairs whose types
 * p and q are instances of, the most specific pair wins (a pair is more specific when both of its types are
 * subtypes of the other's); two incomparable candidates are a tie and throw. An unregistered pair throws naming
 * both types and pointing to {@link #monteCarlo}.
 */
public final class KL {
    private KL() {}

    private record Pair(Class<?> p, Class<?> q) {}

    private static final Map<Pair, BiFunction<Distribution, Distribution, Tensor>> REGISTRY = new ConcurrentHashMap<>();
    /** Where a registered rule covers only some pairs of its types (Binomial: p's counts at least q's), the test of that. */
    private static final Map<Pair, java.util.function.BiPredicate<Distribution, Distribution>> APPLIES = new ConcurrentHashMap<>();

    static {
        KLRules.registerAll();
    }

    /** Registers the closed form of KL(p || q) for p of type pType and q of type qType (replacing an earlier one). */
    @SuppressWarnings("unchecked")
    public static <P extends Distribution, Q extends Distribution> void register(Class<P> pType, Class<Q> qType,
                                                                                BiFunction<? super P, ? super Q, Tensor> rule) {
        if (pType == null || qType == null || rule == null) throw new IllegalArgumentException("KL.register: types and rule must not be null");
        REGISTRY.put(new Pair(pType, qType), (p, q) -> ((BiFunction<P, Q, Tensor>) rule).apply((P) p, (Q) q));
        APPLIES.remove(new Pair(pType, qType));
    }

    /** Marks where a registered rule applies, so that {@link #hasClosedForm} answers no where the rule would throw. */
    @SuppressWarnings("unchecked")
    static <P extends Distribution, Q extends Distribution> void restrict(Class<P> pType, Class<Q> qType,
                                                                        java.util.function.BiPredicate<? super P, ? super Q> applies) {
        APPLIES.put(new Pair(pType, qType), (p, q) -> ((java.util.function.BiPredicate<P, Q>) applies).test((P) p, (Q) q));
    }

    /** KL(p || q) in closed form, of the broadcast batch shape of p and q. */
    public static Tensor divergence(Distribution p, Distribution q) {
        if (p == null || q == null) throw new IllegalArgumentException("KL.divergence: distributions must not be null");
        List<Pair> minimal = candidates(p, q);
        if (minimal.isEmpty()) throw new IllegalArgumentException("KL.divergence: no closed form registered for KL("
                + p.getClass().getSimpleName() + " || " + q.getClass().getSimpleName() + "); estimate it with "
                + "KL.monteCarlo(p, q, samples, generator)");
        if (minimal.size() > 1) throw new IllegalStateException("KL.divergence: ambiguous closed forms for KL("
                + p.getClass().getSimpleName() + " || " + q.getClass().getSimpleName() + "): " + minimal.stream()
                .map(k -> k.p().getSimpleName() + "/" + k.q().getSimpleName()).toList() + " are equally specific; register the exact pair");
        return REGISTRY.get(minimal.getFirst()).apply(p, q);
    }

    /** The most specific registered pairs p and q are instances of (one, unless two are incomparable). */
    private static List<Pair> candidates(Distribution p, Distribution q) {
        List<Pair> candidates = new ArrayList<>();
        for (Pair k : REGISTRY.keySet()) {
            if (k.p().isInstance(p) && k.q().isInstance(q)) candidates.add(k);
        }
        List<Pair> minimal = new ArrayList<>();
        for (Pair a : candidates) {
            boolean dominated = false;
            for (Pair b : candidates) {
                if (a != b && !a.equals(b) && a.p().isAssignableFrom(b.p()) && a.q().isAssignableFrom(b.q())) {
                    dominated = true;
                    break;
                }
            }
            if (!dominated) minimal.add(a);
        }
        return minimal;
    }

    /**
     * True when {@link #divergence} would answer for this pair: exactly one most specific rule, which applies to these
     * parameters (KL(Binomial || Binomial) has no closed form where p's totalCount is below q's). A rule that recurses
     * into the bases (Independent) is asked about them too.
     */
    public static boolean hasClosedForm(Distribution p, Distribution q) {
        if (p == null || q == null) return false;
        List<Pair> minimal = candidates(p, q);
        if (minimal.size() != 1) return false;
        java.util.function.BiPredicate<Distribution, Distribution> applies = APPLIES.get(minimal.getFirst());
        return applies == null || applies.test(p, q);
    }

    /**
     * Monte Carlo estimate mean over s of log p(x_s) - log q(x_s), x_s ~ p: differentiable in p's parameters when p
     * is {@link Reparameterizable} (pathwise), otherwise in q's only.
     */
    public static Tensor monteCarlo(Distribution p, Distribution q, int samples, Generator gen) {
        if (samples < 1) throw new IllegalArgumentException("KL.monteCarlo: samples must be >= 1, got " + samples);
        if (gen == null) throw new IllegalArgumentException("KL.monteCarlo: generator must not be null");
        Tensor x = p instanceof Reparameterizable r ? r.rsample(gen, samples) : p.sample(gen, samples);
        return p.logProb(x).sub(q.logProb(x)).mean(new int[]{0}, false);
    }
}
