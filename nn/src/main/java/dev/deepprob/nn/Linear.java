package dev.deepprob.nn;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;
import dev.deepprob.engine.Shapes;

import java.util.Optional;

/**
 * The affine map y = x·Wᵀ + b (torch.nn.Linear), with W of shape (out, in) and b of shape (out). Initialised as
 * PyTorch does: W by Kaiming-uniform with a = √5 and b uniform, which makes both uniform in ±1/√in.
 */
public final class Linear extends UnaryModule {
    private final int in, out;
    private final Parameter weight;
    private final Parameter bias;

    /** A layer with a bias, in the default floating dtype ({@link DType#defaultFloat()}). */
    public Linear(int inFeatures, int outFeatures, Generator gen) { this(inFeatures, outFeatures, true, DType.defaultFloat(), gen); }

    /** A layer with or without a bias, in the default floating dtype ({@link DType#defaultFloat()}). */
    public Linear(int inFeatures, int outFeatures, boolean bias, Generator gen) { this(inFeatures, outFeatures, bias, DType.defaultFloat(), gen); }

    /**
     * @param inFeatures  size of each input's last dim (> 0)
     * @param outFeatures size of each output's last dim (> 0)
     * @param bias        whether to learn an additive bias
     * @param dtype       F32 or F64, for the parameters and the inputs
     * @param gen         the source of the initial values (the weight is drawn first, then the bias)
     */
    public Linear(int inFeatures, int outFeatures, boolean bias, DType dtype, Generator gen) {
        if (inFeatures <= 0) throw new IllegalArgumentException("Linear: in_features must be > 0, got " + inFeatures);
        if (outFeatures <= 0) throw new IllegalArgumentException("Linear: out_features must be > 0, got " + outFeatures);
        if (dtype == null || !dtype.isFloating()) throw new IllegalArgumentException("Linear: dtype must be F32 or F64, got " + dtype);
        if (gen == null) throw new IllegalArgumentException("Linear: generator must not be null");
        this.in = inFeatures;
        this.out = outFeatures;
        this.weight = registerParameter("weight", NDArray.zeros(dtype, outFeatures, inFeatures));
        // PyTorch's reset_parameters: kaiming_uniform_(a=√5) gives the bound gain·√(3/fan_in) = 1/√fan_in
        Init.kaimingUniform(weight.tensor(), Math.sqrt(5), Init.FanMode.FAN_IN, Init.Nonlinearity.LEAKY_RELU, gen);
        if (bias) {
            double bound = 1 / Math.sqrt(inFeatures);
            this.bias = registerParameter("bias", NDArray.uniform(gen, dtype, -bound, bound, outFeatures));
        } else {
            this.bias = null;
        }
    }

    /** The size of each input's last dim. */
    public int inFeatures() { return in; }

    /** The size of each output's last dim. */
    public int outFeatures() { return out; }

    /** The weight, shape (out, in). */
    public Parameter weight() { return weight; }

    /** The bias, shape (out), when the layer has one. */
    public Optional<Parameter> bias() { return Optional.ofNullable(bias); }

    /** The dtype of the parameters (and of accepted inputs). */
    public DType dtype() { return weight.dtype(); }

    /**
     * @param x (..., in) of the layer's dtype
     * @return (..., out)
     */
    @Override
    public Tensor forward(Tensor x) {
        if (x == null) throw new IllegalArgumentException("Linear.forward: input must not be null");
        if (x.dim() < 1 || x.shape(-1) != in) throw new IllegalArgumentException("Linear.forward: input of shape "
                + Shapes.str(x.dims()) + " does not match in_features " + in);
        if (x.dtype() != weight.dtype()) throw new IllegalArgumentException("Linear.forward: input dtype " + x.dtype()
                + " does not match the layer's dtype " + weight.dtype() + " (convert with to(DType))");
        Tensor y = x.matmul(weight.tensor().t());
        return bias == null ? y : y.add(bias.tensor());
    }

    @Override
    protected String extraRepr() {
        return "in_features=" + in + ", out_features=" + out + ", bias=" + (bias != null) + (dtype() == DType.F32 ? "" : ", dtype=" + dtype());
    }
}
