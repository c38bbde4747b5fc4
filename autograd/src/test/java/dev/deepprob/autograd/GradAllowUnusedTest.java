package dev.deepprob.autograd;

import dev.deepprob.engine.DType;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Autograd.grad refuses an input the outputs do not depend on unless the caller allows it (PyTorch's allow_unused),
 * and then answers null for it. Before, such an input silently got zeros, hiding a wiring mistake.
 * PyTorch's answers for the same cases: autograd/src/test/python/torch_aliasing_reference.txt.
 */
class GradAllowUnusedTest {

    @Test
    void anUnusedInputIsRefusedByDefault() {
        Tensor x = Tensor.of(DType.F64, new double[]{1, 2}).requiresGrad(true), z = Tensor.of(DType.F64, new double[]{3}).requiresGrad(true);
        Tensor y = x.mul(x).sum();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Autograd.grad(y, List.of(x, z), false));
        assertEquals("grad: input 1 (shape [1]) was not used to compute the outputs; pass allowUnused = true to get null for it",
                e.getMessage());
    }

    @Test
    void allowUnusedGivesNullForTheUnusedInput() {
        Tensor x = Tensor.of(DType.F64, new double[]{1, 2}).requiresGrad(true), z = Tensor.of(DType.F64, new double[]{3}).requiresGrad(true);
        Tensor y = x.mul(x).sum();
        List<Tensor> g = Autograd.grad(List.of(y), List.of(x, z), null, false, false, true);
        assertArrayEquals(new double[]{2, 4}, g.get(0).toDoubleArray());
        assertNull(g.get(1));
    }

    @Test
    void anInputReachedOnlyThroughAConstantBranchIsUnused() {
        // z feeds a comparison (no gradient), so the outputs do not depend on it differentiably
        Tensor x = Tensor.of(DType.F64, new double[]{1, 2}).requiresGrad(true), z = Tensor.of(DType.F64, new double[]{0, 5}).requiresGrad(true);
        Tensor y = Tensor.where(z.gt(Tensor.of(DType.F64, new double[]{1})), x, x.mul(3)).sum();
        assertThrows(IllegalArgumentException.class, () -> Autograd.grad(List.of(y), List.of(x, z), null, false, true));
        List<Tensor> g = Autograd.grad(List.of(y), List.of(x, z), null, false, false, true);
        assertEquals(Arrays.asList(3.0, 1.0), Arrays.stream(g.get(0).toDoubleArray()).boxed().toList());
        assertNull(g.get(1));
    }

    @Test
    void hessianAndJacobianOfFunctionsIgnoringTheirInputStillWork() {
        // a constant gradient (f linear in x) does not depend on x: its derivative is zero, not an error
        Tensor w = Tensor.of(DType.F64, new double[]{2, 3}).requiresGrad(true);
        Tensor h = Autograd.hessian(x -> x.mul(w).sum(), Tensor.of(DType.F64, new double[]{1, 1}));
        assertArrayEquals(new double[]{0, 0, 0, 0}, h.toDoubleArray());
        Tensor hv = Autograd.hvp(x -> x.mul(w).sum(), Tensor.of(DType.F64, new double[]{1, 1}), Tensor.of(DType.F64, new double[]{1, 1}));
        assertArrayEquals(new double[]{0, 0}, hv.toDoubleArray());
        Tensor j = Autograd.jacobian(x -> w.mul(2), Tensor.of(DType.F64, new double[]{1, 1}));
        assertArrayEquals(new double[]{0, 0, 0, 0}, j.toDoubleArray());
    }
}
