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
}
