package dev.deepprob.prob.infer;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;
import dev.deepprob.engine.Shapes;

/** Real rows written into a buffer: gathered straight from a data array, or copied from a sampler's batch. */
final class RealBatches {
    private final NDArray data;          // (N, dims) contiguous, or null
    private final Gan.Sampler sampler;   // or null

    private RealBatches(NDArray data, Gan.Sampler sampler) {
        this.data = data;
        this.sampler = sampler;
    }

    static RealBatches of(String op, Tensor data) {
        Gan.checkData(op, data);
        return new RealBatches(plain(data.data()), null);
    }

    /** a contiguous array at offset 0 (raw storage access needs both) */
    static NDArray plain(NDArray a) { return a.isContiguous() && a.offset() == 0 ? a : a.copy(); }

    static RealBatches of(Gan.Sampler sampler) { return new RealBatches(null, sampler); }

    void check(String op, DType dtype, int dims) {
        if (data == null) return;
        if (data.dtype() != dtype) throw new IllegalArgumentException(op + ": real data are " + data.dtype() + " but the generator returns "
                + dtype);
        if (data.shape(1) != dims) throw new IllegalArgumentException(op + ": real data have " + data.shape(1)
                + " columns but the generator returns " + dims);
    }

    /** Writes n real rows into rows [at, at + n) of buf (contiguous, (rows, dims)). */
    void fill(Generator gen, NDArray buf, int at, int n, String op) {
        int dims = buf.shape(1);
        if (data == null) {
            Tensor r = sampler.sample(gen, n);
            if (r == null || r.dim() != 2 || r.shape(0) != n || r.shape(1) != dims || r.dtype() != buf.dtype())
                throw new IllegalStateException(op + ": the real sampler must return " + buf.dtype() + " (" + n + ", " + dims
                        + ") batches, got " + (r == null ? "null" : r.dtype() + " " + Shapes.str(r.dims())));
            buf.narrow(0, at, n).copyFromInPlace(r.data());
            return;
        }
        NDArray idx = NDArray.randint(gen, 0, data.shape(0), n);
        data.indexSelect(0, idx, buf.narrow(0, at, n));
    }

    /** A fresh (n, dims) real batch. */
    Tensor batch(Generator gen, DType dtype, int dims, int n, String op) {
        check(op, dtype, dims);
        NDArray b = NDArray.zeros(dtype, n, dims);
        fill(gen, b, 0, n, op);
        return Tensor.of(b);
    }
}
