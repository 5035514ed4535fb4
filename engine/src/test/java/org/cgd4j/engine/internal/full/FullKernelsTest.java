package org.cgd4j.engine.internal.full;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Scalar and Vector API kernels agree bit for bit on sizes around every vector width, the fused
 * rank-1 update equals a naive outer product (and BLAS DSYR after scaling), and X̂'s S term is the
 * S the commit writes.
 */
class FullKernelsTest {
    static final int[] SIZES = {1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 33, 63, 65, 127};
    final Arena arena = Arena.ofConfined();
    final SplittableRandom random = new SplittableRandom(42);
    final FullKernels scalar = FullKernelsProvider.scalar();
    final FullKernels vector = FullKernelsProvider.vector();

    @AfterEach
    void close() { arena.close(); }

    MemorySegment randomSegment(long count) {
        MemorySegment s = arena.allocate(count * 8, 8);
        for (long i = 0; i < count; i++) {
            s.setAtIndex(JAVA_DOUBLE, i, random.nextGaussian());
        }
        return s;
    }

    MemorySegment copy(MemorySegment s) {
        return arena.allocate(s.byteSize(), 8).copyFrom(s);
    }

    @Test
    void vectorKernelsEqualScalarKernelsBitForBit() {
        for (int n : SIZES) {
            MemorySegment x = randomSegment(n);
            MemorySegment y = randomSegment(n);
            MemorySegment a = arena.allocate(8L * n, 8);
            MemorySegment b = arena.allocate(8L * n, 8);
            scalar.blend(n, 0.9, x, 0.1, y, a);
            vector.blend(n, 0.9, x, 0.1, y, b);
            assertThat(b.mismatch(a)).as("blend n=%d", n).isEqualTo(-1);
            scalar.scale(n, 0.37, x, a);
            vector.scale(n, 0.37, x, b);
            assertThat(b.mismatch(a)).as("scale n=%d", n).isEqualTo(-1);
            scalar.subtract(n, x, y, a);
            vector.subtract(n, x, y, b);
            assertThat(b.mismatch(a)).as("subtract n=%d", n).isEqualTo(-1);
            MemorySegment qa = copy(x);
            MemorySegment qb = copy(x);
            scalar.descend(n, qa, y);
            vector.descend(n, qb, y);
            assertThat(qb.mismatch(qa)).as("descend n=%d", n).isEqualTo(-1);

            MemorySegment s = randomSegment((long) n * n);
            MemorySegment sa = copy(s);
            MemorySegment sb = copy(s);
            scalar.rank1Update(n, sa, 0.95, 0.05, x, 1);
            vector.rank1Update(n, sb, 0.95, 0.05, x, 1);
            assertThat(sb.mismatch(sa)).as("rank1Update n=%d", n).isEqualTo(-1);
            for (MemorySegment v : new MemorySegment[] {null, y}) {
                MemorySegment wa = arena.allocate(8L * n * n, 8);
                MemorySegment wb = arena.allocate(8L * n * n, 8);
                assertThat(scalar.buildMetric(n, s, 0.95, 0.05, x, 1, 3.3, v, wa)).isTrue();
                assertThat(vector.buildMetric(n, s, 0.95, 0.05, x, 1, 3.3, v, wb)).isTrue();
                assertThat(wb.mismatch(wa)).as("buildMetric n=%d", n).isEqualTo(-1);
            }
        }
    }

    @Test
    void nonFiniteValuesAreFoundAtTheirIndex() {
        for (FullKernels k : new FullKernels[] {scalar, vector}) {
            for (int n : SIZES) {
                MemorySegment x = randomSegment(n);
                assertThat(k.firstNonFinite(n, x)).isEqualTo(-1);
                for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
                    int at = random.nextInt(n);
                    x.setAtIndex(JAVA_DOUBLE, at, bad);
                    assertThat(k.firstNonFinite(n, x)).isEqualTo(at);
                    x.setAtIndex(JAVA_DOUBLE, at, 1.0);
                }
                MemorySegment s = randomSegment((long) n * n);
                MemorySegment w = arena.allocate(8L * n * n, 8);
                x.setAtIndex(JAVA_DOUBLE, n - 1, 1e200); // finite, its square is not
                assertThat(k.buildMetric(n, s, 0.9, 0.1, x, 1, 1, null, w)).as("n=%d", n).isFalse();
            }
        }
    }

    @Test
    void rank1UpdateIsTheOuterProductOnTheLowerTriangleOnly() {
        ReferenceLinearAlgebra blas = new ReferenceLinearAlgebra();
        for (FullKernels k : new FullKernels[] {scalar, vector}) {
            for (int n : SIZES) {
                double beta2 = 0.99;
                MemorySegment s = randomSegment((long) n * n);
                MemorySegment u = randomSegment(n);
                MemorySegment updated = copy(s);
                k.rank1Update(n, updated, beta2, 1 - beta2, u, 1);
                MemorySegment viaDsyr = copy(s); // BLAS: scale, then DSYR
                for (long e = 0; e < (long) n * n; e++) {
                    viaDsyr.setAtIndex(JAVA_DOUBLE, e, beta2 * viaDsyr.getAtIndex(JAVA_DOUBLE, e));
                }
                blas.dsyr('L', n, 1 - beta2, u, 1, viaDsyr, n);
                for (int j = 0; j < n; j++) {
                    for (int i = 0; i < n; i++) {
                        long e = i + (long) j * n;
                        double got = updated.getAtIndex(JAVA_DOUBLE, e);
                        if (i < j) {
                            assertThat(got).as("upper (%d,%d) untouched", i, j).isEqualTo(s.getAtIndex(JAVA_DOUBLE, e));
                            continue;
                        }
                        double ui = u.getAtIndex(JAVA_DOUBLE, i);
                        double uj = u.getAtIndex(JAVA_DOUBLE, j);
                        double naive = beta2 * s.getAtIndex(JAVA_DOUBLE, e) + (1 - beta2) * ui * uj;
                        double tolerance = 2 * Math.ulp(Math.abs(beta2 * s.getAtIndex(JAVA_DOUBLE, e)) + Math.abs((1 - beta2) * ui * uj));
                        assertThat(Math.abs(got - naive)).as("(%d,%d)", i, j).isLessThanOrEqualTo(tolerance);
                        assertThat(Math.abs(got - viaDsyr.getAtIndex(JAVA_DOUBLE, e))).isLessThanOrEqualTo(tolerance);
                    }
                }
                // X̂ with c2 = 1 and no mean is exactly the committed S.
                MemorySegment w = arena.allocate(8L * n * n, 8);
                k.buildMetric(n, s, beta2, 1 - beta2, u, 1, 1, null, w);
                for (int j = 0; j < n; j++) {
                    for (int i = j; i < n; i++) {
                        long e = i + (long) j * n;
                        assertThat(w.getAtIndex(JAVA_DOUBLE, e)).isEqualTo(updated.getAtIndex(JAVA_DOUBLE, e));
                    }
                }
            }
        }
    }

    /** Queued updates applied in one pass equal the same updates one pass each, bit for bit. */
    @Test
    void queuedUpdatesEqualSequentialUpdatesBitForBit() {
        for (FullKernels k : new FullKernels[] {scalar, vector}) {
            for (int n : SIZES) {
                int count = 5;
                MemorySegment s = randomSegment((long) n * n);
                MemorySegment us = randomSegment((long) count * n);
                MemorySegment sequential = copy(s);
                for (int q = 0; q < count; q++) {
                    k.rank1Update(n, sequential, 0.97, 0.03, us.asSlice((long) q * n * 8, 8L * n), 1);
                }
                MemorySegment batched = copy(s);
                k.rank1Update(n, batched, 0.97, 0.03, us, count);
                assertThat(batched.mismatch(sequential)).as("n=%d", n).isEqualTo(-1);
                MemorySegment w = arena.allocate(8L * n * n, 8);
                assertThat(k.buildMetric(n, s, 0.97, 0.03, us, count, 1, null, w)).isTrue();
                for (int j = 0; j < n; j++) {
                    for (int i = j; i < n; i++) {
                        long e = i + (long) j * n;
                        assertThat(w.getAtIndex(JAVA_DOUBLE, e)).isEqualTo(sequential.getAtIndex(JAVA_DOUBLE, e));
                    }
                }
            }
        }
    }
}
