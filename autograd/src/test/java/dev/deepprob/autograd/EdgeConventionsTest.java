package dev.deepprob.autograd;

import dev.deepprob.engine.DType;
import dev.deepprob.engine.NDArray;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.deepprob.autograd.AutogradTest.assertThrowsWith;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Edge conventions where PyTorch's answer is the useful one, against the values in torch_edges.txt (written by
 * autograd/src/test/python/torch_edges.py): pow's gradients at 0, det and logdet at singular matrices, max/min and
 * maximum/minimum with NaN, and solve with a batch of vectors.
 */
class EdgeConventionsTest {

    record Ref(int[] shape, double[] values) {
        NDArray array() { return NDArray.of(values, shape); }
    }

    static final Map<String, Ref> REF = load("/torch_edges.txt");

    /** The named rows of a reference file in torch_edges.txt's format (also torch_ops.txt's). */
    static Map<String, Ref> load(String resource) {
        Map<String, Ref> m = new HashMap<>();
        try (InputStream in = EdgeConventionsTest.class.getResourceAsStream(resource)) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] halves = line.split(" : ");
                String[] head = halves[0].trim().split(" +");
                int[] shape = Arrays.stream(head, 2, head.length).mapToInt(Integer::parseInt).toArray();
                double[] v = halves.length < 2 ? new double[0]
                        : Arrays.stream(halves[1].trim().split(" +")).mapToDouble(EdgeConventionsTest::parse).toArray();
                m.put(head[0], new Ref(shape, v));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return m;
    }

    private static double parse(String s) {
        return switch (s) {
            case "nan" -> Double.NaN;
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }

    static Tensor leaf(Ref r) { return Tensor.of(r.array().contiguous()).requiresGrad(true); }

    /** a^b at a = 0 for constant b = 0, 1, 2, 3: value, d/da and d²/da² as torch (a^0 gives 0, not NaN, to every order). */
    @Test
    void powGradientsAtZeroAreTorchs() {
        double[] bs = REF.get("pow.exponents").values();
        double[] rows = REF.get("pow.const").values();
        for (int i = 0; i < bs.length; i++) {
            Tensor a = Tensor.scalar(DType.F64, 0).requiresGrad(true);
            Tensor y = a.pow(bs[i]);
            Tensor g = Autograd.grad(y, List.of(a), true).getFirst();
            double h = g.requiresGrad() ? Autograd.grad(g, List.of(a), false).getFirst().item() : 0;
            assertArrayEquals(Arrays.copyOfRange(rows, 3 * i, 3 * i + 3), new double[]{y.item(), g.item(), h}, 0, "b = " + bs[i]);
        }
        // both operands requiring grad at a = b = 0: torch's 0 and 0
        Tensor a = Tensor.scalar(DType.F64, 0).requiresGrad(true), b = Tensor.scalar(DType.F64, 0).requiresGrad(true);
        List<Tensor> gs = Autograd.grad(a.pow(b), List.of(a, b), false);
        assertArrayEquals(REF.get("pow.tensor").values(), new double[]{gs.get(0).item(), gs.get(1).item()}, 0);
    }

    /**
     * det's gradient at singular matrices is the cofactor matrix adj(A)ᵀ, as torch's singular-input formula gives (rank
     * n - 1 with and without a zero pivot in place). Tolerance 1e-12: torch's SVD leaves 6e-15 where the cofactor is 0.
     */
    @Test
    void detGradientAtASingularMatrixIsTheCofactorMatrix() {
        for (String c : List.of("det.singular.a", "det.singular.b", "det.singular.c")) {
            Tensor a = leaf(REF.get(c + ".A"));
            Tensor d = a.det();
            assertEquals(0, d.item(), 0, c);
            d.backward();
            assertArrayEquals(REF.get(c + ".grad").values(), a.grad().toDoubleArray(), 1e-12, c);
        }
        // a second derivative there would need the adjugate's derivative, which is not implemented: it throws
        Tensor a = leaf(REF.get("det.singular.b.A"));
        Tensor g = Autograd.grad(a.det(), List.of(a), true).getFirst();
        assertThrowsWith(UnsupportedOperationException.class, "second derivative of det at a singular matrix",
                () -> Autograd.grad(g.sum(), List.of(a), false));
    }

    /**
     * logdet at a singular matrix is -inf and its gradient infinite, where it used to throw "inverse: matrix is singular".
     * Every entry is infinite as in torch; the sign is the cofactor's (log|det| rises along it), where torch's follows the
     * signed zero its LU leaves as the determinant (-0.0 after one row swap), so the test compares magnitudes only.
     */
    @Test
    void logdetAtASingularMatrixIsMinusInfinityWithInfiniteGradient() {
        Tensor a = leaf(REF.get("logdet.singular.A"));
        Tensor l = a.logdet();
        assertEquals(REF.get("logdet.singular.value").values()[0], l.item());
        l.backward();
        double[] torch = REF.get("logdet.singular.grad").values(), ours = a.grad().toDoubleArray();
        double[] cof = a.data().adjugate().mT().contiguous().toDoubleArray();
        for (int i = 0; i < ours.length; i++) {
            assertTrue(Double.isInfinite(torch[i]) && Double.isInfinite(ours[i]), "entry " + i + ": " + ours[i]);
            assertEquals(Math.signum(cof[i]), Math.signum(ours[i]), "entry " + i);
        }
        // log|det| through logAbsDet, in a batch mixing a singular and a regular matrix: the regular one keeps A⁻ᵀ
        Tensor batch = Tensor.of(NDArray.of(new double[]{1, 2, 2, 4, 2, 1, 1, 3}, 2, 2, 2)).requiresGrad(true);
        batch.logAbsDet().sum().backward();
        double[] gb = batch.grad().toDoubleArray();
        double[] inv = NDArray.of(new double[]{2, 1, 1, 3}, 2, 2).inverse().mT().contiguous().toDoubleArray();
        assertArrayEquals(inv, Arrays.copyOfRange(gb, 4, 8), 1e-15);
        assertTrue(Arrays.stream(gb, 0, 4).allMatch(Double::isInfinite));
    }

    /** max() and min() over all elements with NaNs: the NaN elements produced the value and share the gradient. */
    @Test
    void maxWithNaNSendsTheGradientToTheNaNElements() {
        for (String op : List.of("max", "min")) {
            Tensor x = leaf(REF.get("max.x"));
            Tensor y = op.equals("max") ? x.max() : x.min();
            assertTrue(Double.isNaN(y.item()) && Double.isNaN(REF.get(op + ".value").values()[0]));
            y.backward();
            assertArrayEquals(REF.get(op + ".grad").values(), x.grad().toDoubleArray(), 0, op);
        }
        // over one dim the same rule holds row by row (torch.amax would give the NaN row NaN gradients)
        Tensor x = Tensor.of(DType.F64, new double[]{1, Double.NaN, 3, 2}, 2, 2).requiresGrad(true);
        x.max(new int[]{1}, false).sum().backward();
        assertArrayEquals(new double[]{0, 1, 1, 0}, x.grad().toDoubleArray(), 0);
    }

    /** maximum/minimum propagate NaN, and both inputs get the whole gradient there (neither lost); ties split it. */
    @Test
    void maximumAndMinimumWithNaNAreTorchs() {
        for (String op : List.of("maximum", "minimum")) {
            Tensor a = leaf(REF.get("binary.a")), b = leaf(REF.get("binary.b"));
            Tensor y = op.equals("maximum") ? a.maximum(b) : a.minimum(b);
            assertArrayEquals(REF.get(op + ".value").values(), y.toDoubleArray(), 0, op);
            y.sum().backward();
            assertArrayEquals(REF.get(op + ".grad_a").values(), a.grad().toDoubleArray(), 0, op + " a");
            assertArrayEquals(REF.get(op + ".grad_b").values(), b.grad().toDoubleArray(), 0, op + " b");
        }
    }

    /**
     * B of shape (2, 4) with A of shape (2, 4, 4) is a batch of vectors, as torch.linalg.solve documents (B.shape ==
     * A.shape[:-1]); it used to be read as one 2×4 matrix and fail to align. Tolerance 1e-13: both sides run LU with
     * partial pivoting in float64 on a well-conditioned A (entries of X are O(1)).
     */
    @Test
    void solveWithABatchOfVectorsIsTorchs() {
        Tensor a = leaf(REF.get("solve.A")), b = leaf(REF.get("solve.B"));
        Tensor w = Tensor.of(REF.get("solve.W").array());
        Tensor x = a.solve(b);
        assertArrayEquals(new int[]{2, 4}, x.dims());
        assertArrayEquals(REF.get("solve.X").values(), x.toDoubleArray(), 1e-13);
        x.mul(w).sum().backward();
        assertArrayEquals(REF.get("solve.grad_A").values(), a.grad().toDoubleArray(), 1e-13);
        assertArrayEquals(REF.get("solve.grad_B").values(), b.grad().toDoubleArray(), 1e-13);
        // the engine's solve follows the same rule
        NDArray xe = a.data().solve(b.data());
        assertArrayEquals(new int[]{2, 4}, xe.dims());
        assertArrayEquals(x.toDoubleArray(), xe.toDoubleArray(), 0);
        // B (4, 2) is still two right-hand sides for each matrix of the batch
        assertArrayEquals(new int[]{2, 4, 2}, a.solve(Tensor.of(NDArray.ones(DType.F64, 4, 2))).dims());
    }
}
