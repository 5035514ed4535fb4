package org.cgd4j.experiments.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void roundTripsNestedValuesAndExactDoubles() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "a \"quoted\"\\ line\nwith tab\t and \u0001");
        m.put("d", 0.1 + 0.2);
        m.put("tiny", 4.9e-324);
        m.put("n", 42L);
        m.put("b", true);
        m.put("nil", null);
        m.put("list", List.of(1.5, "x", List.of(), Map.of()));
        m.put("empty", Map.of());
        Object back = Json.parse(Json.write(m));
        assertThat(back).isEqualTo(m);
    }

    @Test
    void nonFiniteNumbersBecomeNull() {
        assertThat(Json.write(List.of(Double.NaN, Double.POSITIVE_INFINITY, 1.0)).trim()).isEqualTo("[null, null, 1.0]");
    }

    @Test
    void arraysAreWritten() {
        assertThat(Json.parse(Json.write(new double[] {1.0, 2.5}))).isEqualTo(List.of(1.0, 2.5));
        assertThat(Json.parse(Json.write(new int[] {1, 2}))).isEqualTo(List.of(1L, 2L));
    }

    @Test
    void syntaxErrorsNameTheirPosition() {
        assertThatThrownBy(() -> Json.parse("{\"a\": 1,\n \"b\" 2}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 2, column 6");
        assertThatThrownBy(() -> Json.parse("[1, 2}")).hasMessageContaining("line 1, column 6")
                .hasMessageContaining("'}'");
        assertThatThrownBy(() -> Json.parse("{\"a\":1,\"a\":2}"))
                .satisfies(e -> assertThat(e.getMessage()).containsIgnoringCase("duplicate").contains("\"a\""));
        assertThatThrownBy(() -> Json.parse("1 2")).satisfies(e -> assertThat(e.getMessage()).containsIgnoringCase("trailing"));
    }

    @Test
    void theLayoutIsTheCommittedFilesOne() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scalars", List.of(1.0, 2.5e-7, 3L));
        m.put("objects", List.of(Map.of("k", 1L), List.of()));
        m.put("empty", Map.of());
        m.put("none", List.of());
        assertThat(Json.write(m)).isEqualTo("""
                {
                  "scalars": [1.0, 2.5E-7, 3],
                  "objects": [
                    {
                      "k": 1
                    },
                    []
                  ],
                  "empty": {},
                  "none": []
                }
                """);
    }
}
