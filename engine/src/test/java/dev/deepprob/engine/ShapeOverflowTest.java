package dev.deepprob.engine;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Shapes whose element count passes 2^31 - 1 are refused where they are made, naming the operation and the shape.
 * Before this check the product wrapped around (65536^4 = 2^64 is 0 in a long) and gave arrays of size 0, and cat
 * overflowed its int total into a NegativeArraySizeException.
 */
class ShapeOverflowTest {
    static final int B = 65536;

    static void assertRefused(String op, String shape, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().startsWith(op + ":"), () -> "message '" + e.getMessage() + "' does not name " + op);
        assertTrue(e.getMessage().contains(shape), () -> "message '" + e.getMessage() + "' lacks the shape " + shape);
        assertTrue(e.getMessage().contains("2^31 - 1"), () -> "message '" + e.getMessage() + "' lacks the limit");
    }

    @Test
    void sizeIsExactOrRefused() {
        assertEquals(Integer.MAX_VALUE, Shapes.size(new int[]{Integer.MAX_VALUE}));
        assertEquals(0, Shapes.size(new int[]{B, B, B, B, 0}));       // no elements, however large the other dims
        assertEquals(0, Shapes.size(new int[]{0, B, B, B, B}));
        assertEquals(1, Shapes.size(new int[0]));
        assertRefused("size", "[65536, 65536, 65536, 65536]", () -> Shapes.size(new int[]{B, B, B, B}));
        assertRefused("size", "[2147483647, 2]", () -> Shapes.size(new int[]{Integer.MAX_VALUE, 2}));
        assertRefused("zeros", "[65536, 65536]", () -> Shapes.size("zeros", new int[]{B, B}));
    }

    @Test
    void factoriesRefuseOverflowingShapes() {
        String s = "[65536, 65536, 65536, 65536]";
        assertRefused("zeros", s, () -> NDArray.zeros(DType.F32, B, B, B, B));
        assertRefused("full", s, () -> NDArray.full(DType.F32, 1, B, B, B, B));
        assertRefused("uniform", s, () -> NDArray.rand(new Generator(1), DType.F32, B, B, B, B));
        assertRefused("normal", s, () -> NDArray.randn(new Generator(1), DType.F32, B, B, B, B));
        assertRefused("randint", s, () -> NDArray.randint(new Generator(1), 0, 2, B, B, B, B));
        assertRefused("bernoulli", s, () -> NDArray.bernoulli(new Generator(1), 0.5, B, B, B, B));
        assertRefused("eye", "[65536, 65536]", () -> NDArray.eye(DType.F32, B));
    }

    @Test
    void viewsRefuseOverflowingShapes() {
        // an empty array reshaped to a shape whose product wraps to 0 in a long was accepted as "0 elements"
        assertRefused("reshape", "[65536, 65536, 65536, 65536]", () -> NDArray.zeros(DType.F32, 0).reshape(B, B, B, B));
        assertRefused("view", "[65536, 65536, 65536, 65536]", () -> NDArray.zeros(DType.F32, 0).view(B, B, B, B));
        assertRefused("expand", "[65536, 65536, 65536, 65536]", () -> NDArray.zeros(DType.F32, 1, 1).expand(B, B, B, B));
        assertRefused("expand", "[65536, 65536]", () -> NDArray.zeros(DType.F32, 1).expand(B, B));
        assertRefused("add", "[65536, 65536]", () -> NDArray.zeros(DType.F32, B, 1).add(NDArray.zeros(DType.F32, 1, B)));
    }

    @Test
    void arangeAndCatRefuseOverflowingCounts() {
        assertRefused("arange", "[3000000000]", () -> NDArray.arange(DType.F32, 0, 3e9, 1));
        NDArray big = NDArray.zeros(DType.F32, 1).expand(3 << 28);   // 805306368 elements, no storage behind them
        assertRefused("cat", "[2415919104]", () -> NDArray.cat(List.of(big, big, big), 0));
        NDArray wide = NDArray.zeros(DType.F32, 1, 1).expand(B / 2, B / 2);
        assertRefused("cat", "[65536, 32768]", () -> NDArray.cat(List.of(wide, wide), 0));
    }

    @Test
    void narrowRefusesALengthThatOverflowsPastTheEnd() {
        // before: start + length wrapped negative, passed the bound check and made a view reading past the storage
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> NDArray.zeros(DType.F32, 4).narrow(0, 1, Integer.MAX_VALUE));
        assertEquals("narrow: start 1 and length 2147483647 out of range for dim 0 of size 4", e.getMessage());
    }

    @Test
    void multinomialRefusesAnOverflowingSampleCount() {
        NDArray w = NDArray.ones(DType.F64, 1, 2).expand(B, 2);
        assertRefused("multinomial", "[65536, 65536]", () -> w.multinomial(new Generator(1), B, true));
    }
}
