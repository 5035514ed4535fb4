package org.cgd4j.experiments.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON for the summary and tuned-hyperparameter files, through Jackson: values are {@link Map}
 * (insertion-ordered), {@link List}, {@link String}, {@link Number}, {@link Boolean} and null.
 * Doubles are written as {@link Double#toString} writes them (exact round trip); NaN and ±∞, which
 * JSON lacks, are written as null. The layout ({@link CompactArrayPrinter}) is the one the committed
 * files have: two-space indent, scalar lists on one line.
 */
public final class Json {
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_LONG_FOR_INTS)
            .build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Json() {}

    /** Pretty-printed JSON text of {@code value}, two-space indent, trailing newline. */
    public static String write(Object value) {
        return MAPPER.writer().with(new CompactArrayPrinter()).writeValueAsString(node(value)) + "\n";
    }

    /**
     * Parses JSON text. Numbers become {@link Double} (or {@link Long} when integral and written
     * without fraction or exponent); objects keep their key order.
     *
     * @throws IllegalArgumentException naming the line and column of the first syntax error, a
     *                                  duplicate key or trailing text
     */
    public static Object parse(String text) {
        try {
            return MAPPER.readValue(text, Object.class);
        } catch (JacksonException e) {
            TokenStreamLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new IllegalArgumentException("JSON syntax error" + where + ": " + e.getOriginalMessage(), e);
        }
    }

    /** The Jackson tree of one of our values (non-finite numbers become null, arrays become lists). */
    private static JsonNode node(Object v) {
        return switch (v) {
            case null -> NODES.nullNode();
            case String s -> NODES.stringNode(s);
            case Boolean b -> NODES.booleanNode(b);
            case Double d -> Double.isFinite(d) ? NODES.numberNode(d) : NODES.nullNode();
            case Float f -> Float.isFinite(f) ? NODES.numberNode(f.doubleValue()) : NODES.nullNode();
            case Number n -> NODES.numberNode(n.longValue());
            case Map<?, ?> m -> {
                ObjectNode o = NODES.objectNode();
                m.forEach((k, x) -> o.set(String.valueOf(k), node(x)));
                yield o;
            }
            case List<?> l -> {
                ArrayNode a = NODES.arrayNode(l.size());
                l.forEach(x -> a.add(node(x)));
                yield a;
            }
            case double[] a -> node(boxed(a));
            case int[] a -> {
                List<Object> l = new ArrayList<>(a.length);
                for (int x : a) {
                    l.add((long) x);
                }
                yield node(l);
            }
            default -> throw new IllegalArgumentException("cannot write " + v.getClass().getName() + " as JSON");
        };
    }

    private static List<Object> boxed(double[] a) {
        List<Object> l = new ArrayList<>(a.length);
        for (double x : a) {
            l.add(x);
        }
        return l;
    }
}
