package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A sample shape whose draw (sample shape + batch shape + event shape) would pass 2^31 - 1 elements is refused by
 * the distribution, naming it and the full shape. Before, [65536]^4 wrapped to a draw of 0 elements, and
 * Categorical overflowed its rows x samples count inside multinomial.
 */
class SampleShapeOverflowTest {
    static final int B = 65536;

    static void assertRefused(String op, String shape, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().startsWith(op + ":"), () -> "message '" + e.getMessage() + "' does not name " + op);
        assertTrue(e.getMessage().contains(shape), () -> "message '" + e.getMessage() + "' lacks " + shape);
    }

    @Test
    void samplesTooLargeToHoldAreRefused() {
        Normal n = new Normal(0, 1);
        assertRefused("Normal.sample", "[65536, 65536, 65536, 65536]", () -> n.sample(new Generator(1), B, B, B, B));
        assertRefused("Normal.rsample", "[65536, 65536, 65536, 65536]", () -> n.rsample(new Generator(1), B, B, B, B));
        Normal batch = new Normal(Tensor.zeros(DType.F64, B), Tensor.ones(DType.F64, B));
        assertRefused("Normal.sample", "[32768, 65536]", () -> batch.sample(new Generator(1), B / 2));
        Categorical c = Categorical.fromProbs(Tensor.full(DType.F64, 0.5, B, 2));
        assertRefused("Categorical.sample", "[65536, 65536]", () -> c.sample(new Generator(1), B));
    }

    @Test
    void theLargestSampleThatFitsIsStillAllowed() {
        assertArrayEquals(new int[]{0, B, B, B}, new Normal(0, 1).sample(new Generator(1), 0, B, B, B).dims());
    }
}
