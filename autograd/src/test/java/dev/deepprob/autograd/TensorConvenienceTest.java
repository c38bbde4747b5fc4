package dev.deepprob.autograd;

import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;
import dev.deepprob.engine.Shape;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The small conveniences of issue 14: a printable shape, X[idx], tril_indices, index_put and randn_like. Expected
 * values are PyTorch's for the same calls (torch 2.x: x[idx], torch.tril_indices, x.index_put(..., accumulate)).
 */
class TensorConvenienceTest {

    static Tensor idx(long... v) { return Tensor.of(NDArray.of(v)); }

    static Tensor grid() { return Tensor.of(DType.F64, new double[]{0, 1, 2, 10, 11, 12, 20, 21, 22, 30, 31, 32}, 4, 3); }

    @Test
    void sizePrintsAndComparesAsAShape() {
        Tensor x = Tensor.zeros(3, 4);
        assertEquals("[3, 4]", x.size().toString());
        assertEquals("[]", Tensor.scalar(1).size().toString());
        assertEquals(Shape.of(3, 4), x.size());
        assertEquals(Shape.of(3, 4).hashCode(), x.size().hashCode());
        assertNotEquals(Shape.of(4, 3), x.size());
        assertEquals(4, x.size().get(-1));
        assertEquals(4, x.size(1));
        assertEquals(2, x.size().rank());
        assertEquals(12L, x.size().numel());
        assertArrayEquals(new int[]{3, 4}, x.size().toArray());
        int[] a = x.size().toArray();
        a[0] = 99;
        assertEquals(Shape.of(3, 4), x.size(), "toArray hands out a copy");
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> x.size().get(2));
        assertEquals("Shape.get: dim 2 out of range for shape [3, 4] (expected -2 to 1)", e.getMessage());
        IllegalArgumentException n = assertThrows(IllegalArgumentException.class, () -> Shape.of(2, -1));
        assertEquals("Shape.of: dim 1 is negative in [2, -1] (expected sizes >= 0)", n.getMessage());
    }

    @Test
    void shapePrintsAsAShapeAndFeedsTheFactories() {
        Tensor x = Tensor.zeros(3, 4);
        assertEquals("[3, 4]", x.shape().toString(), "shape() prints its dims, not [I@...");
        assertEquals("[3, 4]", String.valueOf(x.data().shape()));
        assertEquals(x.size(), x.shape());
        assertEquals(Shape.of(3, 4), Tensor.ones(x.shape()).shape());
        assertEquals(Shape.of(3, 4), Tensor.zeros(DType.F64, x.shape()).shape());
        assertEquals(DType.F64, Tensor.ones(DType.F64, x.shape()).dtype());
        assertEquals(Shape.of(2, 6), x.reshape(Shape.of(2, 6)).shape());
        assertEquals(Shape.of(2, 3, 4), x.expand(Shape.of(2, 3, 4)).shape());
        assertEquals(Shape.of(3, 4), NDArray.zeros(DType.F32, x.shape()).shape());
        assertEquals(Shape.of(12), NDArray.ones(DType.F32, 3, 4).reshape(Shape.of(12)).shape());
        assertArrayEquals(new int[]{3, 4}, x.dims());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros((Shape) null));
        assertEquals("zeros: shape must not be null", e.getMessage());
    }

    @Test
    void indexPicksRowsAsTorchDoes() {
        // torch: x[torch.tensor([[3, 0], [-1, 1]])] -> shape (2, 2, 3)
        Tensor r = grid().index(Tensor.of(NDArray.of(new long[]{3, 0, -1, 1}, 2, 2)));
        assertArrayEquals(new int[]{2, 2, 3}, r.dims());
        assertArrayEquals(new double[]{30, 31, 32, 0, 1, 2, 30, 31, 32, 10, 11, 12}, r.toDoubleArray());
        Tensor v = Tensor.of(DType.F64, new double[]{5, 6, 7}).index(idx(2, 2, 0));
        assertArrayEquals(new double[]{7, 7, 5}, v.toDoubleArray());
        assertEquals(Shape.of(0, 3), grid().index(Tensor.of(NDArray.zeros(DType.I64, 0))).size());
    }

    @Test
    void indexGradientAddsRepeatedRows() {
        Tensor x = grid().requiresGrad(true);
        x.index(idx(1, 1, -1)).sum().backward();
        assertArrayEquals(new double[]{0, 0, 0, 2, 2, 2, 0, 0, 0, 1, 1, 1}, x.grad().toDoubleArray());
        Generator gen = new Generator(3);
        GradCheck.check(xs -> xs.getFirst().index(Tensor.of(NDArray.of(new long[]{0, 2, 2, -4}, 2, 2))).square(),
                List.of(Tensor.randn(gen, DType.F64, 4, 3)), 2, GradCheck.Options.defaults(), gen);
    }

    @Test
    void indexRefusesBadIndices() {
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> grid().index(idx(0, 4)));
        assertEquals("index: idx has index 4 out of range for dim 0 of size 4 (expected -4 to 3)", e.getMessage());
        e = assertThrows(IndexOutOfBoundsException.class, () -> grid().index(idx(-5)));
        assertEquals("index: idx has index -5 out of range for dim 0 of size 4 (expected -4 to 3)", e.getMessage());
        IllegalArgumentException a = assertThrows(IllegalArgumentException.class, () -> grid().index(Tensor.of(DType.F64, new double[]{1})));
        assertEquals("index: idx must be an I64 tensor, got F64 (convert it with to(DType.I64))", a.getMessage());
        a = assertThrows(IllegalArgumentException.class, () -> Tensor.scalar(1).index(idx(0)));
        assertEquals("index: cannot index a scalar (shape [])", a.getMessage());
    }

    @Test
    void trilIndicesMatchTorch() {
        // torch.tril_indices(3, 3) = [[0, 1, 1, 2, 2, 2], [0, 0, 1, 0, 1, 2]]
        assertArrayEquals(new long[]{0, 1, 1, 2, 2, 2, 0, 0, 1, 0, 1, 2}, Tensor.trilIndices(3, 3, 0).data().toLongArray());
        assertEquals(DType.I64, Tensor.trilIndices(3, 3, 0).dtype());
        // torch.tril_indices(4, 3, 1) = [[0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3], [0, 1, 0, 1, 2, 0, 1, 2, 0, 1, 2]]
        assertArrayEquals(new long[]{0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 0, 1, 0, 1, 2, 0, 1, 2, 0, 1, 2},
                NDArray.trilIndices(4, 3, 1).toLongArray());
        // torch.tril_indices(3, 4, -1) = [[1, 2, 2], [0, 0, 1]]
        assertArrayEquals(new long[]{1, 2, 2, 0, 0, 1}, NDArray.trilIndices(3, 4, -1).toLongArray());
        assertEquals(Shape.of(2, 0), Tensor.trilIndices(2, 2, -5).size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NDArray.trilIndices(-1, 2, 0));
        assertEquals("trilIndices: n and m must be >= 0, got n=-1, m=2", e.getMessage());
    }

    @Test
    void trilIndicesReadTheTriangleThatTrilKeeps() {
        Tensor x = Tensor.randn(new Generator(5), DType.F64, 5, 4);
        for (int off : new int[]{-2, 0, 1}) {
            NDArray ij = NDArray.trilIndices(5, 4, off);
            Tensor picked = x.indexPut(List.of(Tensor.of(ij.select(0, 0)), Tensor.of(ij.select(0, 1))),
                    Tensor.zeros(DType.F64), false);
            // what tril keeps is exactly what the indices address: x - tril(x) is x with those entries zeroed
            assertArrayEquals(x.sub(x.tril(off)).toDoubleArray(), picked.toDoubleArray(), 0, "offset " + off);
        }
    }

    @Test
    void indexPutWritesAndAccumulatesAsTorch() {
        Tensor x = Tensor.zeros(DType.F64, 3, 2);
        // torch: x.index_put((tensor([0, 2, 0]),), tensor([1., 2., 3.]).unsqueeze(1), accumulate=True) -> [[4, 4], [0, 0], [2, 2]]
        Tensor v = Tensor.of(DType.F64, new double[]{1, 2, 3}, 3, 1);
        assertArrayEquals(new double[]{4, 4, 0, 0, 2, 2}, x.indexPut(idx(0, 2, 0), v, true).toDoubleArray());
        // without accumulate the last write to a position wins
        assertArrayEquals(new double[]{3, 3, 0, 0, 2, 2}, x.indexPut(idx(0, 2, 0), v, false).toDoubleArray());
        // two index tensors, broadcasting, negative indices: x[[0, -1], [1]] = 7
        Tensor y = x.indexPut(List.of(idx(0, -1), idx(1)), Tensor.scalar(DType.F64, 7), false);
        assertArrayEquals(new double[]{0, 7, 0, 0, 0, 7}, y.toDoubleArray());
        assertArrayEquals(new double[6], x.toDoubleArray(), "the functional form leaves its input alone");
    }

    @Test
    void indexPutIsDifferentiableInSelfAndValues() {
        Generator gen = new Generator(11);
        Tensor i0 = idx(0, 2, 0, -1), i1 = idx(1, 1, 1, 0);
        for (boolean acc : new boolean[]{true, false}) {
            GradCheck.check(xs -> xs.get(0).indexPut(List.of(i0, i1), xs.get(1), acc).square(),
                    List.of(Tensor.randn(gen, DType.F64, 3, 2, 2), Tensor.randn(gen, DType.F64, 4, 2)), 2,
                    GradCheck.Options.defaults(), gen);
        }
        // written positions take no gradient from self; an overwritten value gets none either
        Tensor x = Tensor.ones(DType.F64, 3).requiresGrad(true), v = Tensor.of(DType.F64, new double[]{5, 6}).requiresGrad(true);
        x.indexPut(idx(1, 1), v, false).sum().backward();
        assertArrayEquals(new double[]{1, 0, 1}, x.grad().toDoubleArray());
        assertArrayEquals(new double[]{0, 1}, v.grad().toDoubleArray());
    }

    @Test
    void indexPutRefusesBadArguments() {
        Tensor x = Tensor.zeros(DType.F64, 3, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> x.indexPut(idx(0, 1), Tensor.zeros(DType.F64, 3, 2), false));
        assertEquals("indexPut: values of shape [3, 2] do not broadcast to the indexed shape [2, 2]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> x.indexPut(List.of(idx(0), idx(0), idx(0)), Tensor.zeros(DType.F64), false));
        assertEquals("indexPut: expected 1 to 2 index tensors for shape [3, 2], got 3", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> x.indexPut(idx(0), Tensor.zeros(DType.F32), false));
        assertTrue(e.getMessage().startsWith("indexPut: dtype mismatch F64 and F32"), e.getMessage());
        IndexOutOfBoundsException o = assertThrows(IndexOutOfBoundsException.class,
                () -> x.indexPut(List.of(idx(0), idx(2)), Tensor.zeros(DType.F64), true));
        assertEquals("indexPut: indices[1] has index 2 out of range for dim 1 of size 2 (expected -2 to 1)", o.getMessage());
    }

    @Test
    void randnLikeFollowsDTypeAndShape() {
        Tensor t = Tensor.zeros(DType.F64, 2, 5);
        Tensor r = Tensor.randnLike(new Generator(7), t);
        assertEquals(DType.F64, r.dtype());
        assertEquals(t.size(), r.size());
        assertArrayEquals(Tensor.randn(new Generator(7), DType.F64, 2, 5).toDoubleArray(), r.toDoubleArray(), "same draws as randn");
        assertThrows(IllegalArgumentException.class, () -> Tensor.randnLike(new Generator(7), Tensor.of(NDArray.of(new long[]{1}))));
    }
}
