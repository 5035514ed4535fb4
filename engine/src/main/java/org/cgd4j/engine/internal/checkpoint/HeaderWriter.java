package org.cgd4j.engine.internal.checkpoint;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Little-endian encoder for the small header part of a checkpoint. */
final class HeaderWriter {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);

    void u8(int v) { bytes.write(v); }

    void u16(int v) {
        if (v < 0 || v > 0xFFFF) {
            throw new IllegalArgumentException("u16 out of range: " + v);
        }
        u8(v);
        u8(v >>> 8);
    }

    void i32(int v) {
        for (int i = 0; i < 4; i++) {
            u8(v >>> (8 * i));
        }
    }

    void i64(long v) {
        for (int i = 0; i < 8; i++) {
            u8((int) (v >>> (8 * i)));
        }
    }

    void string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > CheckpointFormat.MAX_STRING_BYTES) {
            throw new IllegalArgumentException("string of " + b.length + " bytes is too long for a checkpoint: " + s);
        }
        u16(b.length);
        bytes.writeBytes(b);
    }

    byte[] toByteArray() { return bytes.toByteArray(); }
}
