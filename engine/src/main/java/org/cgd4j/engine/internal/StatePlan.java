package org.cgd4j.engine.internal;

import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.internal.full.FullPreconditioner;
import org.cgd4j.engine.internal.kernel.KernelOp;

/**
 * What an optimizer for a spec will hold, computed from the spec alone (no allocation, no LAPACK
 * call), so that a checkpoint loader can refuse a forged header before a single byte is allocated:
 * the off-heap bytes {@link StepFacade} allocates, and the fewest state bytes a genuine checkpoint
 * of that spec contains. Sums saturate at {@link Long#MAX_VALUE}.
 */
public final class StatePlan {
    private StatePlan() {}

    /**
     * Off-heap bytes of an optimizer for {@code spec}: the shared DIAGONAL buffers (d doubles per
     * slice the most demanding DIAGONAL group needs, whatever the groups cover) and every FULL
     * group's matrices, vectors and minimum DSYEVD workspace, and every KRONECKER group's blocks and work
     * sets ({@code KroneckerGroup.bytes}, closed form).
     */
    public static long allocationBytes(OptimizerSpec spec) {
        int diagonalSlices = 0;
        long bytes = 0;
        for (int k = 0; k < spec.groups().size(); k++) {
            CgdConfig config = spec.groups().get(k).config();
            switch (config.structure()) {
                case DIAGONAL -> diagonalSlices = Math.max(diagonalSlices, KernelOp.of(config).stateSlices());
                case FULL -> bytes = add(bytes, FullPreconditioner.plannedBytes(config, size(spec, k)));
                case KRONECKER -> bytes = add(bytes, org.cgd4j.engine.internal.kronecker.KroneckerGroup.bytes(config,
                        spec.groups().get(k).tensors().stream().map(spec.layout()::tensor).toList()));
            }
        }
        return add(bytes, (long) diagonalSlices * spec.layout().dimension() * Double.BYTES);
    }

    /**
     * The fewest state bytes a checkpoint of {@code spec} holds: a DIAGONAL group with state keeps
     * each of its slices for each of its elements in at least float precision (4 bytes), a FULL group
     * of n parameters keeps at least its n×n metric S in doubles. A file with fewer slice bytes
     * cannot be a checkpoint of this spec, whatever its slice table says.
     */
    public static long minimumSavedBytes(OptimizerSpec spec) {
        long bytes = 0;
        for (int k = 0; k < spec.groups().size(); k++) {
            CgdConfig config = spec.groups().get(k).config();
            long n = size(spec, k);
            switch (config.structure()) {
                case DIAGONAL -> bytes = add(bytes, (long) KernelOp.of(config).stateSlices() * n * Float.BYTES);
                case FULL -> bytes = add(bytes, multiply(multiply(n, n), Double.BYTES));
                case KRONECKER -> bytes = add(bytes, kroneckerSavedBytes(spec, k));
            }
        }
        return bytes;
    }

    /**
     * The fewest bytes a checkpoint of a KRONECKER group holds, in closed form (a forged header may
     * describe billions of blocks: no loop over them). Each tensor's m × n view is cut into blocks of
     * at most b = blockSize per side, so a side has ⌊m/b⌋ blocks of b and one of m mod b; a block side
     * of length x &gt; 1 saves its factor S, eigenbasis Q and eigenvalues (2x² + x elements), and every
     * element takes at least 4 bytes (float state).
     */
    private static long kroneckerSavedBytes(OptimizerSpec spec, int group) {
        CgdConfig config = spec.groups().get(group).config();
        int slices = KernelOp.of(config).stateSlices();
        long b = config.blockSize();
        long total = 0;
        for (String name : spec.groups().get(group).tensors()) {
            var tensor = spec.layout().tensor(name);
            long rows = tensor.rows(), cols = tensor.cols();
            long rowBlocks = rows / b + (rows % b > 0 ? 1 : 0);
            long colBlocks = cols / b + (cols % b > 0 ? 1 : 0);
            long rowSides = sides(rows, b);
            long colSides = sides(cols, b);
            long elements = multiply(rows, cols);
            long frame = multiply(multiply(elements, slices), Float.BYTES);
            // Every block of a block-row has the row side's factors, and so on: Σ over (row, col) blocks.
            total = add(total, add(add(multiply(multiply(colBlocks, rowSides), Float.BYTES),
                    multiply(multiply(rowBlocks, colSides), Float.BYTES)), frame));
        }
        return total;
    }

    /** Σ over the blocks a side of {@code length} is cut into (⌊length/b⌋ of b, one of length mod b) of {@link #side}. */
    private static long sides(long length, long b) {
        return add(multiply(length / b, side(b)), side(length % b));
    }

    /** Elements a block side of length x saves (S, Q, λ); none for x ≤ 1. */
    private static long side(long x) {
        return x <= 1 ? 0 : 2 * x * x + x;
    }

    private static int size(OptimizerSpec spec, int group) {
        long n = 0;
        for (int[] run : spec.runsOf(group)) {
            n += run[1];
        }
        return (int) n; // a layout's dimension is an int
    }

    private static long add(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r; // operands are never negative
    }

    private static long multiply(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        return hi == 0 && lo >= 0 ? lo : Long.MAX_VALUE;
    }
}
