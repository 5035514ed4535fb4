package org.cgd4j.engine.internal.checkpoint;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.ParamLayout;
import org.cgd4j.engine.Schedule;
import org.cgd4j.engine.internal.OptimizerSpec;
import org.cgd4j.engine.internal.Precision;

/**
 * The header part of a checkpoint (between preamble and slice bytes) to and from bytes. Format 2 is
 * format 1's header followed by the optimizer spec (layout, groups, schedule, clipping, threads),
 * the learning-rate scale and the state precision; a format 1 header describes a one-vector,
 * one-group optimizer.
 */
final class HeaderCodec {
    private HeaderCodec() {}

    static byte[] encode(CheckpointHeader h) {
        return encode(h, CheckpointFormat.VERSION);
    }

    /** The header in format {@code version}: 1 (one vector, one group: what format 1 can say) or 2. */
    static byte[] encode(CheckpointHeader h, int version) {
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
        if (version < 2) {
            return out.toByteArray();
        }
        writeSpec(h.spec(), out);
        out.i64(Double.doubleToRawLongBits(h.learningRateScale()));
        out.u8(h.precision() == null ? 0 : h.precision() == Precision.DOUBLE ? 1 : 2);
        return out.toByteArray();
    }

    private static void writeSpec(OptimizerSpec spec, HeaderWriter out) {
        out.u16(spec.layout().tensors().size());
        for (ParamLayout.Tensor t : spec.layout().tensors()) {
            out.string(t.name());
            int[] shape = t.shape();
            out.u8(shape.length);
            for (int dim : shape) {
                out.i32(dim);
            }
        }
        out.u16(spec.groups().size());
        for (OptimizerSpec.Group g : spec.groups()) {
            ConfigCodec.write(g.config(), out);
            out.u16(g.tensors().size());
            for (String name : g.tensors()) {
                out.string(name);
            }
        }
        out.string(spec.schedule().getClass().getSimpleName());
        ConfigCodec.writeRecord((Record) spec.schedule(), out);
        out.i64(Double.doubleToRawLongBits(spec.clipNorm()));
        out.i32(spec.threads());
    }

    private static OptimizerSpec readSpec(HeaderReader in) throws HeaderReader.MalformedException {
        int tensors = in.u16();
        if (tensors == 0) {
            throw new HeaderReader.MalformedException("the layout has no tensors");
        }
        ParamLayout.Builder layout = ParamLayout.builder();
        for (int k = 0; k < tensors; k++) {
            String name = in.string();
            int rank = in.u8();
            int[] shape = new int[rank];
            for (int r = 0; r < rank; r++) {
                shape[r] = in.i32();
            }
            try {
                layout.tensor(name, shape);
            } catch (IllegalArgumentException e) {
                throw new HeaderReader.MalformedException("layout refused: " + e.getMessage(), e);
            }
        }
        int groupCount = in.u16();
        List<OptimizerSpec.Group> groups = new ArrayList<>(Math.min(groupCount, tensors));
        for (int k = 0; k < groupCount; k++) {
            CgdConfig config = ConfigCodec.read(in);
            int names = in.u16();
            List<String> list = new ArrayList<>(Math.min(names, tensors));
            for (int i = 0; i < names; i++) {
                list.add(in.string());
            }
            groups.add(new OptimizerSpec.Group(config, list));
        }
        String kind = in.string();
        Class<? extends Record> scheduleType = null;
        for (Class<?> c : Schedule.class.getPermittedSubclasses()) {
            if (c.getSimpleName().equals(kind) && c.isRecord()) {
                scheduleType = c.asSubclass(Record.class);
            }
        }
        if (scheduleType == null) {
            throw new HeaderReader.MalformedException("unknown schedule '" + kind + "'");
        }
        Schedule schedule = (Schedule) ConfigCodec.readRecord(scheduleType, "schedule", java.util.Map.of(), in);
        double clipNorm = Double.longBitsToDouble(in.i64());
        int threads = in.i32();
        try {
            return new OptimizerSpec(layout.build(), groups, schedule, clipNorm, threads);
        } catch (IllegalArgumentException e) {
            throw new HeaderReader.MalformedException("optimizer spec refused: " + e.getMessage(), e);
        }
    }

    /** Decodes a header of the current format. */
    static CheckpointHeader decode(byte[] header) throws HeaderReader.MalformedException {
        return decode(header, CheckpointFormat.VERSION);
    }

    static CheckpointHeader decode(byte[] header, int version) throws HeaderReader.MalformedException {
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
        if (k > (version >= 2 ? CheckpointFormat.MAX_SLICES : CheckpointFormat.MAX_SLICES_V1)) {
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
        OptimizerSpec spec = OptimizerSpec.single(config, dimension);
        double scale = 1;
        Precision precision = null;
        if (version >= 2) {
            spec = readSpec(in);
            if (spec.layout().dimension() != dimension || !spec.primaryConfig().equals(config)) {
                throw new HeaderReader.MalformedException("the layout (d = " + spec.layout().dimension()
                        + ") or the first group's config disagrees with the header's (d = " + dimension + ")");
            }
            scale = Double.longBitsToDouble(in.i64());
            if (!(scale >= 0) || Double.isInfinite(scale)) {
                throw new HeaderReader.MalformedException("learning-rate scale " + scale + " is not a finite number >= 0");
            }
            int p = in.u8();
            precision = switch (p) {
                case 0 -> null;
                case 1 -> Precision.DOUBLE;
                case 2 -> Precision.FLOAT;
                default -> throw new HeaderReader.MalformedException("unknown precision code " + p);
            };
        }
        if (in.remaining() != 0) {
            throw new HeaderReader.MalformedException(in.remaining() + " unexpected bytes at the end of the header");
        }
        return new CheckpointHeader(libraryVersion, sliceOrder, config, dimension, steps, skipped, slices, spec, scale, precision);
    }
}
