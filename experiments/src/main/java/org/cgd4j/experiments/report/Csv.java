package org.cgd4j.experiments.report;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A minimal CSV writer: a header, then rows of plain fields (ids, numbers: nothing to quote). */
public final class Csv implements AutoCloseable {
    private final BufferedWriter out;
    private final int columns;

    public Csv(Path file, String... header) throws IOException {
        out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        columns = header.length;
        row((Object[]) header);
    }

    /** Writes one row; doubles use {@link Double#toString} (NaN, Infinity as such). */
    public void row(Object... fields) throws IOException {
        if (fields.length != columns) {
            throw new IllegalArgumentException("row has " + fields.length + " fields, header has " + columns);
        }
        for (int i = 0; i < fields.length; i++) {
            String s = String.valueOf(fields[i]);
            if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("CSV field needs quoting, which this writer does not do: " + s);
            }
            if (i > 0) {
                out.write(',');
            }
            out.write(s);
        }
        out.write('\n');
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
