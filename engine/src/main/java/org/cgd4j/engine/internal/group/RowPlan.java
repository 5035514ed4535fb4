package org.cgd4j.engine.internal.group;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * The rows of one row-sparse step of a rows × cols table (SPEC "Row-sparse step"): validates the
 * indices, finds repeated rows and, when there are any, sums their gradients into a packed scratch
 * buffer (in order of appearance) so that each distinct row is stepped once. Without repeats the
 * caller's packed gradients are used as they are. Scratch grows as needed and is reused: a step
 * whose row count does not grow allocates nothing.
 */
public final class RowPlan {
    private final int tableRows;
    private final int cols;
    /** Per table row: the generation of the last plan that listed it, and its distinct position then. */
    private int[] stamp;
    private int[] position;
    private int generation;

    private int[] distinct = new int[0];
    private int count;
    private boolean repeats;
    private double[] mergedD = new double[0];
    private float[] mergedF = new float[0];
    private MemorySegment mergedS = MemorySegment.NULL;

    public RowPlan(int tableRows, int cols) {
        this.tableRows = tableRows;
        this.cols = cols;
    }

    /**
     * Validates {@code rows} (each in [0, tableRows)) and {@code gradValues} (= rows.length × cols) and
     * lists the distinct rows in order of first appearance; nothing is written anywhere else.
     */
    public void plan(int[] rows, long gradValues) {
        if (gradValues != (long) rows.length * cols) {
            throw new IllegalArgumentException("rowGrads has " + gradValues + " values, expected rows.length × cols = "
                    + rows.length + " × " + cols + " = " + (long) rows.length * cols);
        }
        for (int k = 0; k < rows.length; k++) {
            if (rows[k] < 0 || rows[k] >= tableRows) {
                throw new IndexOutOfBoundsException("rows[" + k + "] = " + rows[k] + " is not a row of the "
                        + tableRows + " × " + cols + " table");
            }
        }
        if (stamp == null) {
            stamp = new int[tableRows];
            position = new int[tableRows];
        }
        if (++generation == 0) { // wrapped after 2^32 plans: forget every old stamp
            Arrays.fill(stamp, 0);
            generation = 1;
        }
        if (distinct.length < rows.length) {
            distinct = new int[rows.length];
        }
        count = 0;
        repeats = false;
        for (int row : rows) {
            if (stamp[row] == generation) {
                repeats = true;
            } else {
                stamp[row] = generation;
                position[row] = count;
                distinct[count++] = row;
            }
        }
    }

    /** Distinct rows of the last plan. */
    public int count() { return count; }

    /** The k-th distinct row. */
    public int row(int k) { return distinct[k]; }

    /** True when some row was listed more than once (the gradients then come from the merged buffer). */
    public boolean repeats() { return repeats; }

    /** The distinct rows' gradients: {@code rowGrads} itself, or their sums when rows repeat. */
    public double[] gradients(int[] rows, double[] rowGrads) {
        if (!repeats) {
            return rowGrads;
        }
        int n = count * cols;
        if (mergedD.length < n) {
            mergedD = new double[n];
        }
        Arrays.fill(mergedD, 0, n, 0.0);
        for (int k = 0; k < rows.length; k++) {
            int at = position[rows[k]] * cols;
            for (int j = 0; j < cols; j++) {
                mergedD[at + j] += rowGrads[k * cols + j];
            }
        }
        return mergedD;
    }

    /** As {@link #gradients(int[], double[])} in single precision (sums in float, as torch would). */
    public float[] gradients(int[] rows, float[] rowGrads) {
        if (!repeats) {
            return rowGrads;
        }
        int n = count * cols;
        if (mergedF.length < n) {
            mergedF = new float[n];
        }
        Arrays.fill(mergedF, 0, n, 0f);
        for (int k = 0; k < rows.length; k++) {
            int at = position[rows[k]] * cols;
            for (int j = 0; j < cols; j++) {
                mergedF[at + j] += rowGrads[k * cols + j];
            }
        }
        return mergedF;
    }

    /** As {@link #gradients(int[], double[])} for native-order double segments (the sums off-heap too). */
    public MemorySegment gradients(int[] rows, MemorySegment rowGrads) {
        if (!repeats) {
            return rowGrads;
        }
        long n = (long) count * cols;
        if (mergedS.byteSize() < n * Double.BYTES) {
            mergedS = Arena.ofAuto().allocate(n * Double.BYTES, 64);
        }
        mergedS.asSlice(0, n * Double.BYTES).fill((byte) 0);
        for (int k = 0; k < rows.length; k++) {
            long at = (long) position[rows[k]] * cols;
            for (int j = 0; j < cols; j++) {
                long dst = at + j;
                mergedS.setAtIndex(JAVA_DOUBLE, dst, mergedS.getAtIndex(JAVA_DOUBLE, dst)
                        + rowGrads.getAtIndex(JAVA_DOUBLE, (long) k * cols + j));
            }
        }
        return mergedS;
    }
}
