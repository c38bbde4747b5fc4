package dev.deepprob.autograd;

import dev.deepprob.engine.DType;
import dev.deepprob.engine.NDArray;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The version counter belongs to the storage: a value saved for backward and then changed through any alias (a
 * detached tensor, a view, another Tensor.of over the same array, the raw NDArray) makes backward refuse instead of
 * returning a gradient computed from the new values. Each refused case below gave a wrong answer without an error
 * before the counter moved from the Tensor object to the storage.
 * PyTorch's answers for the same cases: autograd/src/test/python/torch_aliasing_reference.txt.
 */
class AliasingTest {

    static void assertRefused(String fragment, Runnable backward) {
        IllegalStateException e = assertThrows(IllegalStateException.class, backward::run);
        assertTrue(e.getMessage().contains("was modified in place after it was saved"), () -> "message: " + e.getMessage());
        assertTrue(e.getMessage().contains(fragment), () -> "message '" + e.getMessage() + "' lacks '" + fragment + "'");
    }

    @Test
    void writeThroughADetachedAliasIsSeen() {
        // before: backward used the new values and gave [10, 10] (the right answer for x = [1, 2] is [2, 4])
        Tensor x = Tensor.of(DType.F64, new double[]{1, 2}).requiresGrad(true);
        Tensor l = x.mul(x).sum();
        x.detach().fillInPlace(5);
        assertRefused("input 0 of mul (shape [2])", l::backward);
        assertNull(x.grad());
    }

    @Test
    void writeThroughAViewOfALeafUnderNoGradIsSeen() {
        Tensor x = Tensor.of(DType.F64, new double[]{1, 2, 3}).requiresGrad(true);
        Tensor l = x.mul(x).sum();
        try (var s = Autograd.noGrad()) {
            x.narrow(0, 1, 1).fillInPlace(7);
        }
        assertRefused("of mul", l::backward);
    }

    @Test
    void constantChangedAfterAReshapeIsSeen() {
        // the saved input is a new Tensor over a view of c; c itself is what gets written
        Tensor c = Tensor.of(DType.F64, new double[]{3, 4});
        Tensor x = Tensor.of(DType.F64, new double[]{1, 2}).requiresGrad(true);
        Tensor l = x.mul(c.reshape(2, 1).reshape(2)).sum();
        c.fillInPlace(0);
        assertRefused("input 1 of mul", l::backward);
    }

    @Test
    void twoTensorsOverOneArrayShareTheVersion() {
        NDArray shared = NDArray.of(new double[]{1, 2});
        Tensor a = Tensor.of(shared).requiresGrad(true), b = Tensor.of(shared);
        Tensor l = a.mul(a).sum();
        b.addInPlace(Tensor.of(DType.F64, new double[]{1, 1}), 1);
        assertRefused("of mul", l::backward);
        Tensor l2 = a.mul(a).sum();
        shared.set(0, 1);                                      // the NDArray itself, written by hand
        assertRefused("of mul", l2::backward);
    }

    @Test
    void changedOutputSavedForItsOwnBackwardIsSeen() {
        // exp's VJP uses its output: before, a zeroed output gave the gradient [0, 0] instead of e^x
        Tensor x = Tensor.of(DType.F64, new double[]{0, 1}).requiresGrad(true);
        Tensor y = x.exp();
        y.detach().fillInPlace(0);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.backward(Tensor.onesLike(y)));
        assertTrue(e.getMessage().contains("output of exp (shape [2]) was modified in place after it was saved"), e.getMessage());
    }

    @Test
    void changedMaskSavedByWhereIsSeen() {
        NDArray mask = NDArray.of(new boolean[]{true, false});
        Tensor x = Tensor.of(DType.F64, new double[]{1, 2}).requiresGrad(true);
        Tensor l = Tensor.where(mask, x, Tensor.zerosLike(x)).sum();
        mask.fillInPlace(1);
        IllegalStateException e = assertThrows(IllegalStateException.class, l::backward);
        assertTrue(e.getMessage().contains("an array saved by where (shape [2]) was modified in place after it was saved"), e.getMessage());
    }

    @Test
    void unchangedAliasesDoNotRefuse() {
        Tensor x = Tensor.of(DType.F64, new double[]{1, 2}).requiresGrad(true);
        Tensor other = Tensor.of(DType.F64, new double[]{1, 2});
        Tensor l = x.mul(x).sum();
        other.fillInPlace(5);                                  // equal values, different storage
        x.detach().toDoubleArray();                            // reads are not writes
        l.backward();
        assertArrayEquals(new double[]{2, 4}, x.grad().toDoubleArray());
    }

    @Test
    void writeIntoAnExpandedViewIsRefused() {
        // before: the sums 1, 2, 3 were written one after another into the one stored element, which then read [3, 3, 3]
        Tensor e = Tensor.of(new float[]{0}).expand(3);
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> e.addInPlace(Tensor.of(new float[]{1, 2, 3}), 1));
        assertTrue(ex.getMessage().contains("addInPlace: the destination of shape [3] with strides [0] has elements that share memory"),
                ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(DType.F64, 2, 1).expand(2, 3).fillInPlace(1));
        ex = assertThrows(IllegalArgumentException.class, () -> e.mulInPlace(2));
        assertTrue(ex.getMessage().startsWith("mulInPlace: the destination of shape [3] with strides [0]"), ex.getMessage());
    }
}
