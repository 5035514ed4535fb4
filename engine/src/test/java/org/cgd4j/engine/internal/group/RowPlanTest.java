package org.cgd4j.engine.internal.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * RowPlan's open-addressing table against a LinkedHashMap reference: distinct rows in order of first
 * appearance and gradients summed in order of appearance, over plans that grow, shrink, repeat rows
 * and crowd the table (rows that share a slot), one plan after another on the same instance.
 */
class RowPlanTest {
    static final int COLS = 3;

    /** The distinct rows (first appearance) and each one's summed gradient, written plainly. */
    static void check(RowPlan plan, int[] rows, float[] grads) {
        Map<Integer, float[]> sums = new LinkedHashMap<>();
        for (int k = 0; k < rows.length; k++) {
            float[] sum = sums.computeIfAbsent(rows[k], r -> new float[COLS]);
            for (int j = 0; j < COLS; j++) {
                sum[j] += grads[k * COLS + j];
            }
        }
        plan.plan(rows, grads.length);
        assertThat(plan.count()).isEqualTo(sums.size());
        assertThat(plan.repeats()).isEqualTo(sums.size() < rows.length);
        assertThat(Arrays.copyOf(plan.rows(), plan.count())).containsExactly(sums.keySet().stream().mapToInt(Integer::intValue).toArray());
        float[] merged = plan.gradients(rows, grads);
        int k = 0;
        for (float[] sum : sums.values()) {
            assertThat(Arrays.copyOfRange(merged, k * COLS, k * COLS + COLS)).containsExactly(sum);
            k++;
        }
    }

    @Test
    void distinctRowsAndSumsMatchAReferenceOverManyPlans() {
        SplittableRandom r = new SplittableRandom(7);
        RowPlan plan = new RowPlan(1_000_000, COLS);
        for (int n : new int[] {0, 1, 5, 300, 4096, 17, 4096, 9000, 2, 0, 64}) {
            for (int rep = 0; rep < 3; rep++) {
                int span = rep == 0 ? 1_000_000 : rep == 1 ? Math.max(1, n / 3) : 5; // sparse, some and many repeats
                int[] rows = r.ints(n, 0, span).toArray();
                float[] grads = new float[n * COLS];
                for (int i = 0; i < grads.length; i++) {
                    grads[i] = (float) r.nextGaussian();
                }
                check(plan, rows, grads);
            }
        }
    }

    @Test
    void rowsThatShareASlotAreKeptApart() {
        // eight rows listed: a 32-slot table, slot = top 5 bits of row·0x9E3779B9 (white box); pick rows of slot 0
        int[] same = java.util.stream.IntStream.range(0, 1_000_000).filter(row -> (row * 0x9E3779B9) >>> 27 == 0).limit(4).toArray();
        assertThat(same).hasSize(4);
        RowPlan plan = new RowPlan(1_000_000, COLS);
        int[] rows = {same[0], same[1], same[2], same[3], same[1], same[0], 31, same[3]};
        float[] grads = new float[rows.length * COLS];
        for (int i = 0; i < grads.length; i++) {
            grads[i] = i + 1;
        }
        check(plan, rows, grads);
    }

    @Test
    void slotsLeftByEarlierPlansNeverLookCurrent() {
        // 40 plans on one table (its stamps come round at 15, twice): rows that share slot 0 (white box, as
        // above) in a different mix each plan, so every probe runs over slots an earlier plan left behind.
        int[] same = java.util.stream.IntStream.range(0, 1_000_000).filter(row -> (row * 0x9E3779B9) >>> 27 == 0).limit(6).toArray();
        RowPlan plan = new RowPlan(1_000_000, COLS);
        SplittableRandom r = new SplittableRandom(3);
        for (int p = 0; p < 40; p++) {
            int[] rows = new int[8];
            for (int k = 0; k < rows.length; k++) {
                rows[k] = same[r.nextInt(p % 3 == 0 ? 6 : 3)];
            }
            float[] grads = new float[rows.length * COLS];
            for (int i = 0; i < grads.length; i++) {
                grads[i] = (float) r.nextGaussian();
            }
            check(plan, rows, grads);
        }
    }

    @Test
    void aRefusedPlanLeavesTheNextOneCorrect() {
        RowPlan plan = new RowPlan(10, COLS);
        check(plan, new int[] {1, 2, 1}, new float[9]);
        assertThatThrownBy(() -> plan.plan(new int[] {3, 10}, 6)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("rows[1] = 10");
        assertThatThrownBy(() -> plan.plan(new int[] {3}, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rowGrads has 4 values");
        check(plan, new int[] {2, 3, 9, 3}, new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
    }
}
