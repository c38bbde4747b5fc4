package dev.deepprob.prob.transforms;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.prob.Constraint;

import java.util.ArrayList;
import java.util.List;

/**
 * The composition y = f_n(... f_2(f_1(x))): parts applied left to right. Its event dims are the smallest that
 * give every part at least the event dims it needs (an elementwise map after a vector map acts on vectors), and
 * its log-Jacobian is the sum of the parts', each reduced over the event dims it does not reduce itself.
 */
public final class ComposeTransform implements Transform {
    private final List<Transform> parts;
    private final int domainEventDim;
    private final int codomainEventDim;

    /** The composition of parts, applied in the order given (first part first). */
    public ComposeTransform(Transform... parts) { this(List.of(checkParts(parts))); }

    /** The composition of parts, applied in list order. */
    public ComposeTransform(List<Transform> parts) {
        if (parts == null || parts.isEmpty()) throw new IllegalArgumentException("ComposeTransform: expected at least one transform");
        for (int i = 0; i < parts.size(); i++) {
            if (parts.get(i) == null) throw new IllegalArgumentException("ComposeTransform: transform " + i + " is null");
        }
        this.parts = List.copyOf(parts);
        // walk backwards from the last codomain: part i must see at least its own domain event dims, and enough
        // that the dims it outputs cover what the parts after it need
        int e = this.parts.getLast().codomainEventDim();
        for (int i = this.parts.size() - 1; i >= 0; i--) {
            Transform p = this.parts.get(i);
            e = Math.max(e + p.domainEventDim() - p.codomainEventDim(), p.domainEventDim());
        }
        this.domainEventDim = e;
        for (Transform p : this.parts) e += p.codomainEventDim() - p.domainEventDim();
        this.codomainEventDim = e;
    }

    private static Transform[] checkParts(Transform[] parts) {
        if (parts == null || parts.length == 0) throw new IllegalArgumentException("ComposeTransform: expected at least one transform");
        for (int i = 0; i < parts.length; i++) {
            if (parts[i] == null) throw new IllegalArgumentException("ComposeTransform: transform " + i + " is null");
        }
        return parts;
    }

    /** The parts, first applied first. */
    public List<Transform> parts() { return parts; }

    @Override
    public Tensor forward(Tensor x) {
        Transforms.checkRank("ComposeTransform.forward: x", x, domainEventDim);
        for (Transform p : parts) x = p.forward(x);
        return x;
    }

    @Override
    public Tensor inverse(Tensor y) {
        Transforms.checkRank("ComposeTransform.inverse: y", y, codomainEventDim);
        for (int i = parts.size() - 1; i >= 0; i--) y = parts.get(i).inverse(y);
        return y;
    }

    /** Σ over parts of log|det J_i| at the intermediate values (recomputed forward from x; the last is y). */
    @Override
    public Tensor logAbsDetJacobian(Tensor x, Tensor y) {
        Transforms.checkRank("ComposeTransform.logAbsDetJacobian: x", x, domainEventDim);
        Tensor total = null;
        int e = domainEventDim;
        for (int i = 0; i < parts.size(); i++) {
            Transform p = parts.get(i);
            Tensor next = i == parts.size() - 1 ? y : p.forward(x);
            Tensor term = Transforms.sumRightmost(p.logAbsDetJacobian(x, next), e - p.domainEventDim());
            total = total == null ? term : total.add(term);
            e += p.codomainEventDim() - p.domainEventDim();
            x = next;
        }
        return total;
    }

    @Override
    public Constraint domain() {
        Transform first = parts.getFirst();
        return Transforms.independent(first.domain(), domainEventDim - first.domainEventDim());
    }

    @Override
    public Constraint codomain() {
        Transform last = parts.getLast();
        return Transforms.independent(last.codomain(), codomainEventDim - last.codomainEventDim());
    }

    @Override public int domainEventDim() { return domainEventDim; }
    @Override public int codomainEventDim() { return codomainEventDim; }

    @Override
    public int[] forwardShape(int[] shape) {
        for (Transform p : parts) shape = p.forwardShape(shape);
        return shape;
    }

    @Override
    public int[] inverseShape(int[] shape) {
        for (int i = parts.size() - 1; i >= 0; i--) shape = parts.get(i).inverseShape(shape);
        return shape;
    }

    @Override
    public Transform inv() {
        List<Transform> r = new ArrayList<>();
        for (int i = parts.size() - 1; i >= 0; i--) r.add(parts.get(i).inv());
        return new ComposeTransform(r);
    }

    @Override
    public String toString() { return "ComposeTransform" + parts; }

    /** The product of the parts' signs, when every part is monotone and elementwise. */
    @Override
    public java.util.Optional<dev.deepprob.engine.NDArray> sign() {
        dev.deepprob.engine.NDArray s = null;
        for (Transform t : parts) {
            java.util.Optional<dev.deepprob.engine.NDArray> p = t.sign();
            if (p.isEmpty()) return java.util.Optional.empty();
            s = s == null ? p.get() : s.mul(p.get());
        }
        return java.util.Optional.ofNullable(s);
    }

    /** Equal to a transform of the same kind with equal parameters (as torch's Transform.__eq__), so that KL can match two pushforwards. */
    @Override
    public boolean equals(Object o) { return o instanceof ComposeTransform t && t.parts.equals(parts); }

    @Override
    public int hashCode() { return parts.hashCode(); }
}
