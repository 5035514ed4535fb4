package org.cgd4j.experiments.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResultsTableTest {

    @Test
    void compactKeepsDecayRatesDistinctFromOne() {
        assertThat(ResultsTable.compact(0.99995)).isEqualTo("0.99995");
        assertThat(ResultsTable.compact(0.9998)).isEqualTo("0.9998");
        assertThat(ResultsTable.compact(0.999912345)).isEqualTo("0.99991235"); // 4 digits of 1 − v = 8.765e-5
        assertThat(ResultsTable.compact(0.9)).isEqualTo("0.9");
        assertThat(ResultsTable.compact(0.03658123)).isEqualTo("0.03658");
        assertThat(ResultsTable.compact(6.246e4)).isEqualTo("6.25e+04");
    }

    @Test
    void sciSpellsOutDivergence() {
        assertThat(ResultsTable.sci(Double.POSITIVE_INFINITY, 2)).isEqualTo("∞ (diverged)");
        assertThat(ResultsTable.sci(Double.NaN, 2)).isEqualTo("n/a");
        assertThat(ResultsTable.sci(1.234e-5, 2)).isEqualTo("1.23e-05");
    }
}
