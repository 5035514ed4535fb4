package org.cgd4j.experiments.report;

import java.util.ArrayDeque;
import java.util.Deque;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.PrettyPrinter;
import tools.jackson.databind.JsonNode;

/**
 * Jackson layout of cgd4j's JSON files: objects one entry per line with two-space indent and
 * {@code "key": value}; an array of scalars on one line ({@code [1.0, 2.5]}), an array holding
 * objects or arrays one element per line. Whether an array is flat is read from the node being
 * written (Jackson hands it to the generator as the current value). Stateful: one per document.
 */
final class CompactArrayPrinter implements PrettyPrinter {
    /** For each open array, whether it is written on one line. */
    private final Deque<Boolean> flat = new ArrayDeque<>();
    private int depth;

    @Override
    public void writeRootValueSeparator(JsonGenerator g) {
        g.writeRaw('\n');
    }

    @Override
    public void writeStartObject(JsonGenerator g) {
        g.writeRaw('{');
        depth++;
    }

    @Override
    public void beforeObjectEntries(JsonGenerator g) {
        newline(g);
    }

    @Override
    public void writeObjectNameValueSeparator(JsonGenerator g) {
        g.writeRaw(": ");
    }

    @Override
    public void writeObjectEntrySeparator(JsonGenerator g) {
        g.writeRaw(',');
        newline(g);
    }

    @Override
    public void writeEndObject(JsonGenerator g, int entries) {
        depth--;
        if (entries > 0) {
            newline(g);
        }
        g.writeRaw('}');
    }

    @Override
    public void writeStartArray(JsonGenerator g) {
        boolean scalars = true;
        if (g.currentValue() instanceof JsonNode array) {
            for (JsonNode element : array) {
                scalars &= !element.isContainer();
            }
        }
        flat.push(scalars);
        g.writeRaw('[');
        depth++;
    }

    @Override
    public void beforeArrayValues(JsonGenerator g) {
        if (!flat.element()) {
            newline(g);
        }
    }

    @Override
    public void writeArrayValueSeparator(JsonGenerator g) {
        if (flat.element()) {
            g.writeRaw(", ");
        } else {
            g.writeRaw(',');
            newline(g);
        }
    }

    @Override
    public void writeEndArray(JsonGenerator g, int values) {
        depth--;
        if (!flat.pop() && values > 0) {
            newline(g);
        }
        g.writeRaw(']');
    }

    private void newline(JsonGenerator g) {
        g.writeRaw('\n');
        g.writeRaw("  ".repeat(depth));
    }
}
