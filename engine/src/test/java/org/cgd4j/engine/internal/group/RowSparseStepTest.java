package org.cgd4j.engine.internal.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.Metric;
import org.cgd4j.engine.NonFiniteGradientException;
import org.cgd4j.engine.Optimizer;
import org.cgd4j.engine.ParamLayout;
import org.cgd4j.engine.Schedule;
import org.cgd4j.engine.internal.OptimizerBase;
import org.cgd4j.engine.internal.StateSlice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** SPEC "Row-sparse step": every metric, double, float and segments, bit for bit against the dense step. */
class RowSparseStepTest {
    static final int ROWS = 13, COLS = 37; // odd sizes: vector tails in every row
    static final ParamLayout TABLE = ParamLayout.builder().matrix("embedding", ROWS, COLS).build();

    static Stream<CgdConfig> configs() {
        return Stream.of(CgdConfig.sgd(0.1), CgdConfig.momentum(0.05, 0.9), CgdConfig.adam(0.01, 0.9, 0.999, 1e-8),
                CgdConfig.adamW(0.01, 0.9, 0.999, 1e-8, 0.1), CgdConfig.rmsprop(0.01, 0.99, 1e-8),
                CgdConfig.rmspropCentered(0.01, 0.9, 1e-8), CgdConfig.adabelief(0.01, 0.9, 0.999, 1e-8),
                CgdConfig.diagonalCgd(0.01, 3, 20, 0.3, 1e-6), CgdConfig.diagonalCgd(0.01, 3, 20, 0.7, 1e-6)
                        .withCovarianceMean(org.cgd4j.engine.CovarianceMean.FORCE),
                CgdConfig.adam(0.01, 0.9, 0.999, 1e-8).withL2(0.01).withMetric(Metric.SECOND_MOMENT));
    }

    static Optimizer table(CgdConfig c) {
        return Optimizer.builder(TABLE).config(c).schedule(Schedule.warmupCosine(3, 50, 0.1)).clipNorm(5).build();
    }

    static double[] gradient(long t) {
        SplittableRandom r = new SplittableRandom(t);
        double[] g = new double[ROWS * COLS];
        for (int i = 0; i < g.length; i++) {
            g[i] = r.nextGaussian();
        }
        return g;
    }

    static int[] allRows() {
        int[] rows = new int[ROWS];
        for (int i = 0; i < ROWS; i++) {
            rows[i] = i;
        }
        return rows;
    }

    static List<byte[]> state(Optimizer o) {
        return ((OptimizerBase) o).stateSlices().stream().map(StateSlice::segment).map(s -> s.toArray(ValueLayout.JAVA_BYTE)).toList();
    }

    @ParameterizedTest
    @MethodSource("configs")
    void listingEveryRowIsTheDenseStep(CgdConfig c) {
        try (Optimizer dense = table(c); Optimizer sparse = table(c); Optimizer sparseF = table(c); Optimizer denseF = table(c);
             Arena arena = Arena.ofConfined(); Optimizer sparseS = table(c)) {
            double[] q = new double[ROWS * COLS], q2 = q.clone();
            float[] qf = new float[ROWS * COLS], qf2 = qf.clone();
            MemorySegment qs = arena.allocate(ValueLayout.JAVA_DOUBLE, ROWS * COLS);
            MemorySegment gs = arena.allocate(ValueLayout.JAVA_DOUBLE, ROWS * COLS);
            for (long t = 1; t <= 12; t++) {
                double[] g = gradient(t);
                float[] gf = new float[g.length];
                for (int i = 0; i < g.length; i++) {
                    gf[i] = (float) g[i];
                }
                dense.step(q, g);
                sparse.stepRows(q2, allRows(), g);
                denseF.step(qf, gf);
                sparseF.stepRows(qf2, allRows(), gf);
                MemorySegment.copy(g, 0, gs, ValueLayout.JAVA_DOUBLE, 0, g.length);
                sparseS.stepRows(qs, allRows(), gs);
                assertThat(q2).isEqualTo(q);
                assertThat(qf2).isEqualTo(qf);
                assertThat(qs.toArray(ValueLayout.JAVA_DOUBLE)).isEqualTo(q);
            }
            assertThat(state(sparse)).containsExactlyElementsOf(state(dense));
            assertThat(state(sparseF)).containsExactlyElementsOf(state(denseF));
            assertThat(sparse.lastGradientNorm()).isEqualTo(dense.lastGradientNorm());
            assertThat(sparse.steps()).isEqualTo(12);
        }
    }

    @ParameterizedTest
    @MethodSource("configs")
    void rowsNotListedAreUntouchedAndOrderAndRepeatsDoNotMatter(CgdConfig c) {
        try (Optimizer a = Optimizer.builder(TABLE).config(c).build(); Optimizer b = Optimizer.builder(TABLE).config(c).build()) {
            double[] qa = gradient(99), qb = qa.clone();
            a.step(qa, gradient(1)); // some state everywhere
            b.step(qb, gradient(1));
            List<byte[]> before = state(a);
            double[] untouched = qa.clone();
            double[] g = gradient(2);
            double[] three = new double[3 * COLS], two = new double[2 * COLS];
            for (int j = 0; j < COLS; j++) {
                three[j] = g[j];
                three[COLS + j] = g[COLS + j];
                three[2 * COLS + j] = g[2 * COLS + j];
                two[j] = g[COLS + j];                         // row 2 first in b
                two[COLS + j] = (0.0 + g[j]) + g[2 * COLS + j]; // row 7: the sum, in order of appearance
            }
            a.stepRows(qa, new int[] {7, 2, 7}, three);
            b.stepRows(qb, new int[] {2, 7}, two);
            assertThat(qa).isEqualTo(qb);
            assertThat(state(a)).containsExactlyElementsOf(state(b));
            List<byte[]> after = state(a);
            for (int row = 0; row < ROWS; row++) {
                boolean listed = row == 2 || row == 7;
                for (int j = 0; j < COLS; j++) {
                    int i = row * COLS + j;
                    if (!listed) {
                        assertThat(qa[i]).as("param of row %d", row).isEqualTo(untouched[i]);
                    }
                }
                for (int k = 0; k < after.size(); k++) {
                    byte[] x = after.get(k), y = before.get(k);
                    int bytesPerRow = x.length / ROWS;
                    boolean same = java.util.Arrays.equals(x, row * bytesPerRow, (row + 1) * bytesPerRow, y, row * bytesPerRow,
                            (row + 1) * bytesPerRow);
                    if (!listed) {
                        assertThat(same).as("state slice %d of row %d must not change", k, row).isTrue();
                    }
                }
            }
        }
    }

    @Test
    void badRowsAndGradientsAreRefusedWithoutChangingAnything() {
        try (Optimizer o = Optimizer.builder(TABLE).config(CgdConfig.adam(0.01, 0.9, 0.999, 1e-8)).build()) {
            double[] q = gradient(5);
            o.step(q, gradient(6));
            double[] q0 = q.clone();
            List<byte[]> s0 = state(o);
            double[] one = new double[COLS];
            assertThatThrownBy(() -> o.stepRows(q, new int[] {ROWS}, one)).isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessageContaining("rows[0] = " + ROWS);
            assertThatThrownBy(() -> o.stepRows(q, new int[] {-1}, one)).hasMessageContaining("rows[0] = -1");
            assertThatThrownBy(() -> o.stepRows(q, new int[] {1, 2}, one)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("rowGrads has " + COLS + " values, expected rows.length × cols = 2 × " + COLS);
            double[] bad = new double[2 * COLS];
            bad[COLS + 4] = Double.NaN;
            assertThatThrownBy(() -> o.stepRows(q, new int[] {3, 8}, bad)).isInstanceOf(NonFiniteGradientException.class)
                    .satisfies(e -> assertThat(((NonFiniteGradientException) e).index()).isEqualTo(8L * COLS + 4));
            assertThat(q).isEqualTo(q0);
            assertThat(state(o)).containsExactlyElementsOf(s0);
            assertThat(o.steps()).isEqualTo(1);
        }
        ParamLayout two = ParamLayout.builder().matrix("a", 2, 2).vector("b", 2).build();
        try (Optimizer o = Optimizer.builder(two).config(CgdConfig.sgd(0.1)).build()) {
            assertThatThrownBy(() -> o.stepRows(new double[6], new int[] {0}, new double[2]))
                    .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("one tensor");
        }
    }
}
