package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.Generator;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The registry's dispatch: the most specific registered pair wins, incomparable candidates are a tie. */
class KLRegistryTest {
    /** Minimal distributions used only as dispatch keys. */
    static class Base extends Distribution {
        Base() { super(new int[0], new int[0], false); }
        @Override public Tensor sample(Generator gen, int... sampleShape) { return Tensor.zeros(sampleShape); }
        @Override public Tensor logProb(Tensor value) { return Tensor.zeros(value.dims()); }
        @Override public Distribution expand(int... batchShape) { return this; }
        @Override public Constraint support() { return Constraints.real(); }
    }

    static class Derived extends Base {}

    static class Leaf extends Derived {}

    static class Other extends Base {}

    static class Tie extends Base {}

    @Test
    void mostSpecificPairWinsAndTiesThrow() {
        KL.register(Base.class, Base.class, (p, q) -> Tensor.scalar(1));
        KL.register(Derived.class, Base.class, (p, q) -> Tensor.scalar(2));
        KL.register(Derived.class, Derived.class, (p, q) -> Tensor.scalar(3));
        assertEquals(1, KL.divergence(new Base(), new Derived()).item());
        assertEquals(2, KL.divergence(new Leaf(), new Other()).item(), "(Derived, Base) is more specific than (Base, Base)");
        assertEquals(3, KL.divergence(new Leaf(), new Leaf()).item(), "(Derived, Derived) beats (Derived, Base)");

        KL.register(Other.class, Base.class, (p, q) -> Tensor.scalar(4));
        KL.register(Base.class, Other.class, (p, q) -> Tensor.scalar(5));
        IllegalStateException tie = assertThrows(IllegalStateException.class, () -> KL.divergence(new Other(), new Other()));
        assertTrue(tie.getMessage().contains("ambiguous closed forms for KL(Other || Other)"), tie.getMessage());
    }

    @Test
    void anUnregisteredPairNamesBothTypesAndTheMonteCarloFallback() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KL.divergence(new Normal(0, 1), new StudentT(3, 0, 1)));
        assertTrue(e.getMessage().contains("KL(Normal || StudentT)") && e.getMessage().contains("KL.monteCarlo(p, q, samples, generator)"),
                e.getMessage());
    }

    /** hasClosedForm says yes exactly where divergence answers: not for a tie, nor where the Binomial rule would throw. */
    @Test
    void hasClosedFormTellsTheTruth() {
        KL.register(Tie.class, Base.class, (p, q) -> Tensor.scalar(4));     // its own stub type: the registry is global
        KL.register(Base.class, Tie.class, (p, q) -> Tensor.scalar(5));
        assertFalse(KL.hasClosedForm(new Tie(), new Tie()), "an ambiguous pair has no single closed form");
        Binomial ten = Binomial.fromProbs(10, 0.3), twenty = Binomial.fromProbs(20, 0.3);
        assertTrue(KL.hasClosedForm(ten, ten));
        assertTrue(KL.hasClosedForm(twenty, ten), "p's count above q's: +inf, a closed form");
        assertDoesNotThrow(() -> KL.divergence(twenty, ten));
        assertFalse(KL.hasClosedForm(ten, twenty), "p's count below q's: the rule throws");
        assertThrows(IllegalArgumentException.class, () -> KL.divergence(ten, twenty));
        // Independent asks its bases
        Independent a = Independent.of(new Normal(Tensor.zeros(dev.deepprob.engine.DType.F64, 3), Tensor.ones(dev.deepprob.engine.DType.F64, 3)), 1);
        Independent b = Independent.of(new StudentT(Tensor.ones(dev.deepprob.engine.DType.F64, 3)), 1);
        assertTrue(KL.hasClosedForm(a, a));
        assertFalse(KL.hasClosedForm(a, b), "no Normal/StudentT rule beneath");
        assertFalse(KL.hasClosedForm(new Normal(0, 1), new StudentT(3, 0, 1)));
    }
}
