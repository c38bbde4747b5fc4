package dev.deepprob.nn;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.NDArray;
import dev.deepprob.engine.Shapes;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A trainable value of a {@link Module}: a named leaf {@link Tensor} that requires grad, over its own contiguous
 * storage (so optimisers can update it in one pass over the raw array). Use {@link #tensor()} in forward code;
 * optimisers take the tensors, as {@link Module#parameters()} returns them.
 */
public final class Parameter {
    private static final Pattern NAME = Pattern.compile("[^.\\s]+");

    private final String name;
    private Tensor tensor;     // replaced only by Module.to(DType), which keeps this Parameter's identity

    /**
     * A parameter holding a copy of {@code initial} (F32 or F64), requiring grad.
     * @param name the local name (no dots, no blanks), as in {@code weight}
     */
    public Parameter(String name, NDArray initial) {
        checkName("Parameter", name);
        if (initial == null) throw new IllegalArgumentException("Parameter: initial value of '" + name + "' must not be null");
        if (!initial.dtype().isFloating()) throw new IllegalArgumentException("Parameter: '" + name
                + "' must be F32 or F64, got " + initial.dtype());
        this.name = name;
        // a private contiguous copy at offset 0: the fused optimiser updates (Fused) need it, and nothing else aliases it
        this.tensor = Tensor.of(initial.copy()).requiresGrad(true);
    }

    static void checkName(String op, String name) {
        if (name == null || !NAME.matcher(name).matches()) throw new IllegalArgumentException(op
                + ": name must be non-empty without '.' or whitespace, got " + (name == null ? "null" : "'" + name + "'"));
    }

    /** The local name given at construction (a module's full name for it is in {@link Module#namedParameters()}). */
    public String name() { return name; }

    /**
     * The leaf tensor (requires grad) to use in forward computations; inside a {@link Module#functionalCall} on this
     * thread, the value substituted for this parameter.
     */
    public Tensor tensor() {
        Tensor s = Module.substituted(this);
        return s != null ? s : tensor;
    }

    /** The parameter's own leaf tensor, whatever a functional call substitutes. */
    Tensor ownTensor() { return tensor; }

    /** The values (shared: writing them changes the parameter; do so under {@code Autograd.noGrad()}). */
    public NDArray data() { return tensor.data(); }

    /** The accumulated gradient after backward(), or null. */
    public Tensor grad() { return tensor.grad(); }

    /** F32 or F64. */
    public DType dtype() { return tensor.dtype(); }

    /** The shape as a printable value ({@code [400, 784]}). */
    public dev.deepprob.engine.Shape shape() { return tensor.shape(); }

    /** A copy of the dims as an {@code int[]}. */
    public int[] dims() { return tensor.dims(); }

    /** The number of elements. */
    public int numel() { return tensor.numel(); }

    /** The tensors of the given parameters, in order: what an optimiser takes. */
    public static List<Tensor> tensors(Collection<Parameter> params) {
        if (params == null) throw new IllegalArgumentException("Parameter.tensors: params must not be null");
        List<Tensor> out = new ArrayList<>(params.size());
        for (Parameter p : params) {
            if (p == null) throw new IllegalArgumentException("Parameter.tensors: params contains null");
            out.add(p.tensor);
        }
        return out;
    }

    /** Replaces the tensor by one of {@code dtype} with the same values (and gradient), for {@link Module#to(DType)}. */
    void convert(DType dtype) {
        if (dtype == tensor.dtype()) return;
        Tensor fresh = Tensor.of(tensor.data().to(dtype).contiguous()).requiresGrad(true);
        if (tensor.grad() != null) fresh.setGrad(Tensor.of(tensor.grad().data().to(dtype)));
        tensor = fresh;
    }

    /** Moves the tensor (and its gradient) to another device, keeping this parameter's identity. */
    void moveTo(dev.deepprob.engine.Backend target) {
        if (target == tensor.data().backend()) return;
        Tensor fresh = Tensor.of(tensor.data().to(target)).requiresGrad(true);
        if (tensor.grad() != null) fresh.setGrad(Tensor.of(tensor.grad().data().to(target)));
        tensor = fresh;
    }

    /** The name, dtype and shape, then the values as a tensor prints them: {@code Parameter(bias, F32 [2]) [0.10000, -0.20000]}. */
    @Override
    public String toString() {
        return "Parameter(" + name + ", " + dtype() + " " + Shapes.str(dims()) + ") " + data().valuesToString();
    }
}
