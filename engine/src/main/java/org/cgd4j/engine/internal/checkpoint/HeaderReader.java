package org.cgd4j.engine.internal.checkpoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Bounds-checked little-endian decoder of a checkpoint header; every problem is a {@link MalformedException}. */
final class HeaderReader {
    private final ByteBuffer buf;

    HeaderReader(byte[] header) {
        this.buf = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A header that cannot be decoded; the reader turns it into an InvalidCheckpointException. */
    static final class MalformedException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedException(String message) { super(message); }

        MalformedException(String message, Throwable cause) { super(message, cause); }
    }

    private void need(int n, String what) throws MalformedException {
        if (buf.remaining() < n) {
            throw new MalformedException("header ends inside " + what);
        }
    }

    byte u8() throws MalformedException {
        need(1, "a byte field");
        return buf.get();
    }

    int u16() throws MalformedException {
        need(2, "a u16 field");
        return Short.toUnsignedInt(buf.getShort());
    }

    int i32() throws MalformedException {
        need(4, "an i32 field");
        return buf.getInt();
    }

    long i64() throws MalformedException {
        need(8, "an i64 field");
        return buf.getLong();
    }

    String string() throws MalformedException {
        int n = u16();
        if (n > CheckpointFormat.MAX_STRING_BYTES) {
            throw new MalformedException("string of " + n + " bytes exceeds " + CheckpointFormat.MAX_STRING_BYTES);
        }
        need(n, "a string");
        ByteBuffer slice = buf.slice(buf.position(), n);
        buf.position(buf.position() + n);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(slice).toString();
        } catch (CharacterCodingException e) {
            throw new MalformedException("a string is not valid UTF-8", e);
        }
    }

    int remaining() { return buf.remaining(); }
}
