package dev.deepprob.gpu;

import dev.deepprob.engine.DType;
import dev.deepprob.engine.NDArray;
import dev.deepprob.engine.SpecialFn;

import java.util.Arrays;

/**
 * The special functions of {@link SpecialFn} on the device (special.cl): engine/cpu/Special.java's log Γ and
 * SpecialExtra.java's erf, erf⁻¹, Φ⁻¹, incomplete gamma and beta functions with their inverses, Student's t and the
 * implicit gamma gradient, ported operation for operation and evaluated in double where the device has fp64 (as the
 * CPU evaluates F32 too), so the two backends take the same branches and agree to the rounding of exp and log.
 * One work-item per element over the operands' strided walk; one program serves every function and both dtypes.
 * (digamma, trigamma and polygamma are unary ops, in elementwise.cl.)
 */
final class ClSpecial {
    private ClSpecial() {}

    /** The build options: T = float, plus each function's code as {@code SF_<NAME>}. */
    private static String options(ClBackend b) {
        StringBuilder sb = new StringBuilder(b.ctx().typeOptions(DType.F32));
        for (SpecialFn f : SpecialFn.values()) sb.append(" -DSF_").append(f.name()).append('=').append(f.ordinal());
        return sb.toString();
    }

    static NDArray special(ClBackend b, SpecialFn fn, NDArray[] args) {
        String op = fn.opName();
        if (args == null || args.length != fn.arity())
            throw new IllegalArgumentException(op + ": expected " + fn.arity() + " operands, got " + (args == null ? 0 : args.length));
        NDArray x = args[0];
        for (NDArray a : args) {
            if (a == null) throw new IllegalArgumentException(op + ": arguments must not be null");
            b.storage(op, a);
            if (!a.dtype().isFloating()) throw new IllegalArgumentException(op + ": expected F32 or F64, got " + a.dtype());
            if (a.dtype() != x.dtype()) throw new IllegalArgumentException(op + ": dtype mismatch " + x.dtype() + " and " + a.dtype());
            if (!Arrays.equals(a.dims(), x.dims()))
                throw new IllegalArgumentException(op + ": operands must have one shape, got " + x.shape() + " and " + a.shape());
        }
        DType t = x.dtype();
        b.ctx().requireDtype(op, t);
        int[] shape = x.dims();
        NDArray out = b.empty(t, shape);
        int n = out.size();
        if (n == 0) return out;
        NDArray[] ops = new NDArray[3];
        for (int i = 0; i < 3; i++) ops[i] = args[Math.min(i, args.length - 1)];   // unused operands repeat the last
        int[][] st = {ops[0].strides(), ops[1].strides(), ops[2].strides()};
        ClWalk w = ClWalk.of(shape, st);
        if (w.rank() > 8) {
            for (int i = 0; i < 3; i++) ops[i] = b.copy(ops[i]);
            w = ClWalk.of(shape, ops[0].strides(), ops[1].strides(), ops[2].strides());
        }
        b.ctx().launch("special.cl", options(b), t == DType.F32 ? "special_f32" : "special_f64").i32(fn.ordinal()).buf(out)
                .buf(ops[0]).i32(ops[0].offset()).int8(w.strides[0]).buf(ops[1]).i32(ops[1].offset()).int8(w.strides[1])
                .buf(ops[2]).i32(ops[2].offset()).int8(w.strides[2]).int8(w.shape).i32(w.rank()).i32(n).run(n);
        return out;
    }
}
