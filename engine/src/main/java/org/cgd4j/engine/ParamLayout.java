package org.cgd4j.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Named tensors with shapes over one flat parameter vector: row-major, in the order they were
 * added, without gaps. An optimizer built on a layout takes the flat vector (double[], float[] or
 * a native segment) in this order; parameter groups and checkpoints refer to tensors by name.
 *
 * <pre>{@code
 * ParamLayout layout = ParamLayout.builder().matrix("w1", 256, 64).vector("b1", 256).build();
 * }</pre>
 */
public final class ParamLayout {

    /**
     * One tensor: {@code name}, its {@code shape} (every dimension ≥ 1), its first element's index
     * in the flat vector and its element count.
     */
    public record Tensor(String name, int[] shape, int offset, int size) {
        public Tensor {
            shape = shape.clone();
        }

        @Override public int[] shape() { return shape.clone(); }

        /** Rows of the tensor's matrix view (SPEC KRONECKER): 1 for a vector, the first dimension otherwise. */
        public int rows() { return shape.length == 1 ? 1 : shape[0]; }

        /** Columns of the matrix view: the product of every dimension but the first (all of a vector). */
        public int cols() { return size / rows(); }

        @Override public boolean equals(Object o) {
            return o instanceof Tensor t && name.equals(t.name) && Arrays.equals(shape, t.shape)
                    && offset == t.offset && size == t.size;
        }

        @Override public int hashCode() { return Objects.hash(name, Arrays.hashCode(shape), offset, size); }

        @Override public String toString() { return name + Arrays.toString(shape); }
    }

    private final List<Tensor> tensors;
    private final Map<String, Tensor> byName;
    private final int dimension;

    private ParamLayout(List<Tensor> tensors) {
        this.tensors = List.copyOf(tensors);
        Map<String, Tensor> map = new LinkedHashMap<>();
        for (Tensor t : tensors) {
            map.put(t.name(), t);
        }
        this.byName = map;
        Tensor last = tensors.getLast();
        this.dimension = last.offset() + last.size();
    }

    /** The layout of one plain vector named "params" of {@code dimension} ≥ 1 elements. */
    public static ParamLayout vector(int dimension) {
        return builder().vector("params", dimension).build();
    }

    public static Builder builder() { return new Builder(); }

    /** The tensors in flat-vector order. */
    public List<Tensor> tensors() { return tensors; }

    /** The tensor named {@code name}; an unknown name is refused with the names that exist. */
    public Tensor tensor(String name) {
        Tensor t = byName.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no tensor named '" + name + "' in the layout " + byName.keySet());
        }
        return t;
    }

    /** True when a tensor of this name exists. */
    public boolean contains(String name) { return byName.containsKey(name); }

    /** Total number of parameters d. */
    public int dimension() { return dimension; }

    @Override public boolean equals(Object o) { return o instanceof ParamLayout l && tensors.equals(l.tensors); }

    @Override public int hashCode() { return tensors.hashCode(); }

    @Override public String toString() { return "ParamLayout" + tensors; }

    /** Adds tensors in order; names must be unique and non-empty, every dimension ≥ 1, d at most 2^31 − 1. */
    public static final class Builder {
        private final List<Tensor> tensors = new ArrayList<>();
        private long next;

        private Builder() {}

        /** A rank-1 tensor of {@code length} elements. */
        public Builder vector(String name, int length) { return tensor(name, length); }

        /** A rows × cols matrix, row-major. */
        public Builder matrix(String name, int rows, int cols) { return tensor(name, rows, cols); }

        /** A tensor of any rank ≥ 1, row-major (its matrix view is shape[0] × the rest). */
        public Builder tensor(String name, int... shape) {
            Objects.requireNonNull(name, "tensor name must not be null");
            Objects.requireNonNull(shape, "shape of '" + name + "' must not be null");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("tensor names must not be empty");
            }
            if (shape.length == 0) {
                throw new IllegalArgumentException("tensor '" + name + "' has no dimensions (rank 0)");
            }
            for (Tensor t : tensors) {
                if (t.name().equals(name)) {
                    throw new IllegalArgumentException("tensor name '" + name + "' appears twice in the layout");
                }
            }
            long size = 1;
            for (int dim : shape) {
                if (dim < 1) {
                    throw new IllegalArgumentException("tensor '" + name + "' has shape " + Arrays.toString(shape)
                            + ": every dimension must be >= 1");
                }
                size *= dim;
                if (size > Integer.MAX_VALUE) {
                    break;
                }
            }
            if (next + size > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("tensor '" + name + "' " + Arrays.toString(shape)
                        + " takes the layout past 2^31 − 1 elements");
            }
            tensors.add(new Tensor(name, shape, (int) next, (int) size));
            next += size;
            return this;
        }

        public ParamLayout build() {
            if (tensors.isEmpty()) {
                throw new IllegalArgumentException("a layout needs at least one tensor");
            }
            return new ParamLayout(tensors);
        }
    }
}
