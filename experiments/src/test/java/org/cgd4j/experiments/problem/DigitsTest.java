package org.cgd4j.experiments.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DigitsTest {

    @Test
    void theDataAreTheUciDigits() {
        Digits.Samples all = Digits.load().all();
        assertThat(all.size()).isEqualTo(1797);
        int[] counts = new int[10];
        for (int y : all.labels()) {
            counts[y]++;
        }
        assertThat(counts).containsExactly(178, 182, 177, 183, 181, 182, 181, 179, 174, 180);
        assertThat(Arrays.stream(all.features()).min().orElseThrow()).isEqualTo(0.0);
        assertThat(Arrays.stream(all.features()).max().orElseThrow()).isEqualTo(1.0);
        // the first row of the file: 0,0,5,13,9,1,0,0,... digit 0
        assertThat(Arrays.copyOf(all.features(), 4)).containsExactly(0, 0, 5 / 16.0, 13 / 16.0);
        assertThat(all.labels()[0]).isZero();
    }

    @Test
    void theSplitIsFixedDisjointAndComplete() {
        Digits.Split a = Digits.load().split();
        Digits.Split b = Digits.load().split();
        assertThat(a.train()).isEqualTo(b.train());
        assertThat(a.validation()).isEqualTo(b.validation());
        assertThat(a.heldOut()).isEqualTo(b.heldOut());
        assertThat(a.train()).hasSize(1197);
        assertThat(a.validation()).hasSize(Digits.VALIDATION);
        assertThat(a.heldOut()).hasSize(Digits.HELD_OUT);
        int[] all = IntStream.concat(IntStream.concat(Arrays.stream(a.train()), Arrays.stream(a.validation())),
                Arrays.stream(a.heldOut())).sorted().toArray();
        assertThat(all).isEqualTo(IntStream.range(0, 1797).toArray());
        // pinned: a change of the split (seed, shuffle, sizes) would silently invalidate the tuned values
        assertThat(Arrays.copyOf(a.heldOut(), 5)).containsExactly(726, 1275, 1188, 370, 378);
        assertThat(Digits.split(1797, Digits.SPLIT_SEED, 300, 300).heldOut()).isEqualTo(a.heldOut());
        assertThat(Digits.split(1797, Digits.SPLIT_SEED + 1, 300, 300).heldOut()).isNotEqualTo(a.heldOut());
    }

    @Test
    void setsHoldTheRowsOfTheSplit() {
        Digits d = Digits.load();
        Digits.Samples all = d.all();
        Digits.Samples held = d.heldOut();
        int[] rows = d.split().heldOut();
        for (int k = 0; k < rows.length; k++) {
            assertThat(held.labels()[k]).isEqualTo(all.labels()[rows[k]]);
            assertThat(Arrays.copyOfRange(held.features(), k * 64, k * 64 + 64))
                    .isEqualTo(Arrays.copyOfRange(all.features(), rows[k] * 64, rows[k] * 64 + 64));
        }
    }

    @Test
    void refusesBadRowsNamingTheLine() {
        String good = "0,".repeat(64) + "3\n";
        assertThatThrownBy(() -> parse(good + "0,1\n")).hasMessageContaining("x line 2: expected 65 fields, got 2");
        assertThatThrownBy(() -> parse(good + "17," + "0,".repeat(63) + "3\n")).hasMessageContaining("line 2: 17 is outside 0..16");
        assertThatThrownBy(() -> parse(good + "0,".repeat(64) + "10\n")).hasMessageContaining("10 is outside 0..9");
        assertThatThrownBy(() -> parse(good + "a," + "0,".repeat(63) + "3\n")).hasMessageContaining("'a' is not an integer");
        assertThatThrownBy(() -> parse(good)).hasMessageContaining("expected 1797 rows, got 1");
        assertThatThrownBy(() -> Digits.split(10, 1, 5, 5)).hasMessageContaining("cannot split 10 rows");
    }

    private static Digits parse(String csv) throws Exception {
        return Digits.parse(new ByteArrayInputStream(csv.getBytes(StandardCharsets.US_ASCII)), "x");
    }
}
