package org.cgd4j.engine.internal.checkpoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/** Builds checkpoint files byte by byte, with a valid checksum, to test what the reader refuses beyond corruption. */
final class CheckpointBytes {
    private CheckpointBytes() {}

    static byte[] build(int version, byte[] header, byte[] sliceBytes) {
        ByteBuffer b = ByteBuffer.allocate(16 + header.length + sliceBytes.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put(CheckpointFormat.MAGIC).putInt(version).putInt(header.length).put(header).put(sliceBytes);
        return withValidCrc(b.array());
    }

    static byte[] build(CheckpointHeader header, byte[] sliceBytes) {
        return build(CheckpointFormat.VERSION, HeaderCodec.encode(header), sliceBytes);
    }

    /** Recomputes the trailing CRC32C, so that only the deliberate change is wrong with the file. */
    static byte[] withValidCrc(byte[] file) {
        CRC32C crc = new CRC32C();
        crc.update(file, 0, file.length - 4);
        ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putInt(file.length - 4, (int) crc.getValue());
        return file;
    }
}
