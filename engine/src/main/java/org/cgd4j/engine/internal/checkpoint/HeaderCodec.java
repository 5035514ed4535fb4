package org.cgd4j.engine.internal.checkpoint;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.cgd4j.engine.CgdConfig;

/** The header part of a checkpoint (between preamble and slice bytes) to and from bytes. */
final class HeaderCodec {
    private HeaderCodec() {}

    static byte[] encode(CheckpointHeader h) {
        HeaderWriter out = new HeaderWriter();
        out.string(h.libraryVersion());
        out.u8(h.sliceOrder() == ByteOrder.LITTLE_ENDIAN ? CheckpointFormat.ORDER_LITTLE_ENDIAN : CheckpointFormat.ORDER_BIG_ENDIAN);
        ConfigCodec.write(h.config(), out);
        out.i32(h.dimension());
        out.i64(h.steps());
        out.i64(h.skippedSteps());
        if (h.slices().size() > CheckpointFormat.MAX_SLICES) {
            throw new IllegalStateException(h.slices().size() + " state slices, the format allows " + CheckpointFormat.MAX_SLICES);
        }
        out.u16(h.slices().size());
        for (SliceEntry s : h.slices()) {
            out.string(s.name());
            out.i64(s.byteSize());
        }
        return out.toByteArray();
    }

    static CheckpointHeader decode(byte[] header) throws HeaderReader.MalformedException {
        HeaderReader in = new HeaderReader(header);
        String libraryVersion = in.string();
        byte order = in.u8();
        ByteOrder sliceOrder = switch (order) {
            case CheckpointFormat.ORDER_LITTLE_ENDIAN -> ByteOrder.LITTLE_ENDIAN;
            case CheckpointFormat.ORDER_BIG_ENDIAN -> ByteOrder.BIG_ENDIAN;
            default -> throw new HeaderReader.MalformedException("unknown byte order code " + order);
        };
        CgdConfig config = ConfigCodec.read(in);
        int dimension = in.i32();
        if (dimension < 1) {
            throw new HeaderReader.MalformedException("dimension " + dimension + " < 1");
        }
        long steps = in.i64();
        long skipped = in.i64();
        if (steps < 0 || skipped < 0) {
            throw new HeaderReader.MalformedException("negative step counters: steps " + steps + ", skipped " + skipped);
        }
        int k = in.u16();
        if (k > CheckpointFormat.MAX_SLICES) {
            throw new HeaderReader.MalformedException(k + " slices, the format allows " + CheckpointFormat.MAX_SLICES);
        }
        List<SliceEntry> slices = new ArrayList<>(k);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < k; i++) {
            String name = in.string();
            long bytes = in.i64();
            if (bytes < 0) {
                throw new HeaderReader.MalformedException("slice '" + name + "' has negative length " + bytes);
            }
            if (!names.add(name)) {
                throw new HeaderReader.MalformedException("slice '" + name + "' appears twice");
            }
            slices.add(new SliceEntry(name, bytes));
        }
        if (in.remaining() != 0) {
            throw new HeaderReader.MalformedException(in.remaining() + " unexpected bytes at the end of the header");
        }
        return new CheckpointHeader(libraryVersion, sliceOrder, config, dimension, steps, skipped, slices);
    }
}
