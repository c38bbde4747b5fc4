package dev.deepprob.autograd;

import dev.deepprob.engine.DType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * select and narrow wrap a negative index once, as PyTorch does, and report the index the caller gave. Before, the
 * index was wrapped twice: select(1, -4) on a 2x3 tensor returned column 2 and narrow(1, -5, 1) column 1.
 * PyTorch's answers for the same cases: autograd/src/test/python/torch_aliasing_reference.txt.
 */
class TensorIndexTest {

    static Tensor m() { return Tensor.of(DType.F64, new double[]{0, 1, 2, 10, 11, 12}, 2, 3); }

    @Test
    void selectWrapsANegativeIndexOnce() {
        assertArrayEquals(new double[]{2, 12}, m().select(1, -1).toDoubleArray());
        assertArrayEquals(new double[]{0, 10}, m().select(1, -3).toDoubleArray());
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> m().select(1, -4));
        assertEquals("select: index -4 out of range for dim 1 of size 3 (expected -3 to 2)", e.getMessage());
        e = assertThrows(IndexOutOfBoundsException.class, () -> m().select(-1, 3));
        assertEquals("select: index 3 out of range for dim -1 of size 3 (expected -3 to 2)", e.getMessage());
    }

    @Test
    void narrowWrapsANegativeStartOnce() {
        assertArrayEquals(new double[]{1, 2, 11, 12}, m().narrow(1, -2, 2).toDoubleArray());
        assertArrayEquals(new double[]{0, 10}, m().narrow(1, -3, 1).toDoubleArray());
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> m().narrow(1, -5, 1));
        assertEquals("narrow: start -5 and length 1 out of range for dim 1 of size 3", e.getMessage());
        e = assertThrows(IndexOutOfBoundsException.class, () -> m().narrow(1, -1, 2));
        assertEquals("narrow: start -1 and length 2 out of range for dim 1 of size 3", e.getMessage());
        assertEquals(0, m().narrow(1, 3, 0).numel(), "an empty slice at the end is allowed, as in PyTorch");
    }

    @Test
    void backwardFollowsTheSelectedElements() {
        Tensor x = m().requiresGrad(true);
        x.select(1, -1).sum().add(x.narrow(1, -3, 1).mul(2).sum()).backward();
        assertArrayEquals(new double[]{2, 0, 1, 2, 0, 1}, x.grad().toDoubleArray());
    }
}
