package org.cgd4j.engine.internal.kernel;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.cgd4j.engine.internal.kernel.KernelEquivalenceTest.SCALAR;
import static org.cgd4j.engine.internal.kernel.KernelEquivalenceTest.VECTOR;
import static org.cgd4j.engine.internal.kernel.KernelEquivalenceTest.copies;
import static org.cgd4j.engine.internal.kernel.KernelEquivalenceTest.randomDoubles;
import static org.cgd4j.engine.internal.kernel.KernelEquivalenceTest.randomFloats;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.cgd4j.engine.CgdConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * DiagonalKernels.stepRows (every listed row in one call, stepped a block at a time with the next
 * block's lines read ahead) against its definition, the scalar row loop called once per row with
 * gShift = k·cols − row·cols: bit for bit, every op and power kind, each flavour, the four access
 * kinds, widths around the vector lengths and more rows than one block.
 */
class RowKernelsTest {
    static final int TABLE_ROWS = 61;
    static final int[] COLS = {1, 5, 8, 16, 17, 37, 64};

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> configs() {
        return KernelEquivalenceTest.configs();
    }

    /** {@code count} distinct rows of the table in random order. */
    static int[] distinctRows(SplittableRandom r, int count) {
        int[] all = new int[TABLE_ROWS];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        for (int i = all.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        return java.util.Arrays.copyOf(all, count);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void oneCallForEveryRowIsTheRowLoopPerRow(String name, CgdConfig config) {
        StepCoefficients c = new StepCoefficients(config);
        SplittableRandom r = new SplittableRandom(name.hashCode());
        for (int cols : COLS) {
            for (int flavour = 0; flavour < 3; flavour++) {
                c.prepare(4, 0.8);
                c.terms(flavour == 0 ? 1 : r.nextDouble(0.1, 1), flavour == 2 ? 1e-3 : 0, flavour == 0 ? 1 : 1 - 1e-3);
                int count = flavour == 0 ? TABLE_ROWS : 1 + r.nextInt(TABLE_ROWS);
                int[] rows = distinctRows(r, count);
                int n = TABLE_ROWS * cols;
                String what = name + " cols=" + cols + " flavour=" + c.flavour + " rows=" + count;
                try (Arena arena = Arena.ofConfined()) {
                    // doubles: the definition on segments, then stepRows on segments and on arrays
                    MemorySegment[] d = randomDoubles(arena, n, 5, n * 31L + flavour);
                    MemorySegment[] ds = copies(arena, d);
                    MemorySegment[] da = copies(arena, d);
                    double[] qa = da[0].toArray(JAVA_DOUBLE), ga = da[1].toArray(JAVA_DOUBLE);
                    for (int k = 0; k < count; k++) {
                        long from = (long) rows[k] * cols;
                        SCALAR.step(c, d[0], d[1], (long) k * cols - from, d[2], d[3], d[4], from, from + cols);
                    }
                    for (DiagonalKernels kernels : new DiagonalKernels[] {VECTOR, SCALAR}) {
                        MemorySegment[] s = copies(arena, ds);
                        MemorySegment[] a = copies(arena, da);
                        double[] q = qa.clone();
                        kernels.stepRows(c, s[0], s[1], rows, count, cols, s[2], s[3], s[4]);
                        kernels.stepRows(c, q, ga, rows, count, cols, a[2], a[3], a[4]);
                        for (int k : new int[] {0, 2, 3, 4}) {
                            assertThat(s[k].toArray(JAVA_DOUBLE)).as("%s %s segments %d", what, kernels.name(), k)
                                    .containsExactly(d[k].toArray(JAVA_DOUBLE));
                        }
                        for (int k : new int[] {2, 3, 4}) {
                            assertThat(a[k].toArray(JAVA_DOUBLE)).as("%s %s arrays %d", what, kernels.name(), k)
                                    .containsExactly(d[k].toArray(JAVA_DOUBLE));
                        }
                        assertThat(q).as("%s %s arrays params", what, kernels.name()).containsExactly(d[0].toArray(JAVA_DOUBLE));
                    }
                    // floats: the same on float arrays and native float segments
                    MemorySegment[] f = randomFloats(arena, n, 5, n * 17L + flavour);
                    MemorySegment[] fs = copies(arena, f);
                    MemorySegment[] fa = copies(arena, f);
                    float[] qf = fa[0].toArray(JAVA_FLOAT), gf = fa[1].toArray(JAVA_FLOAT);
                    for (int k = 0; k < count; k++) {
                        long from = (long) rows[k] * cols;
                        SCALAR.stepFloat(c, f[0], f[1], (long) k * cols - from, f[2], f[3], f[4], from, from + cols);
                    }
                    for (DiagonalKernels kernels : new DiagonalKernels[] {VECTOR, SCALAR}) {
                        MemorySegment[] s = copies(arena, fs);
                        MemorySegment[] a = copies(arena, fa);
                        float[] q = qf.clone();
                        kernels.stepRowsFloat(c, s[0], s[1], rows, count, cols, s[2], s[3], s[4]);
                        kernels.stepRows(c, q, gf, rows, count, cols, a[2], a[3], a[4]);
                        for (int k : new int[] {0, 2, 3, 4}) {
                            assertThat(s[k].toArray(JAVA_FLOAT)).as("%s %s float segments %d", what, kernels.name(), k)
                                    .containsExactly(f[k].toArray(JAVA_FLOAT));
                        }
                        for (int k : new int[] {2, 3, 4}) {
                            assertThat(a[k].toArray(JAVA_FLOAT)).as("%s %s float arrays %d", what, kernels.name(), k)
                                    .containsExactly(f[k].toArray(JAVA_FLOAT));
                        }
                        assertThat(q).as("%s %s float arrays params", what, kernels.name()).containsExactly(f[0].toArray(JAVA_FLOAT));
                    }
                }
            }
        }
    }
}
