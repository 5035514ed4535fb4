package org.cgd4j.engine.internal.checkpoint;

import org.cgd4j.engine.internal.StepFacade;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32C;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.InvalidCheckpointException;
import org.cgd4j.engine.internal.StatePlan;
import org.cgd4j.engine.internal.OptimizerBase;
import org.cgd4j.engine.internal.StateSlice;

/**
 * Validates a checkpoint completely, then restores it into a new optimizer.
 *
 * <p>Order of checks: size, magic, format version, CRC32C over the whole file (one streaming pass,
 * before any length field is trusted), header decoding and its bounds, file size against the
 * header, byte order, the config through CgdConfig's own validation, the described optimizer's
 * size against the file's state bytes and the caller's limit (before anything is allocated: a
 * checksum proves nothing about a file crafted on purpose), then the slice names and
 * lengths against those of the optimizer the config describes. Only then are the slice bytes
 * copied, re-checksummed on the way in (a file replaced between the passes is refused too). The
 * new optimizer is returned only when all of this passed; on any failure it is closed.
 */
final class CheckpointReader {
    private CheckpointReader() {}

    /** As {@link #read(Path, OptimizerFactory, long)} with the default limit, {@link CgdConfig#DEFAULT_MAX_STATE_BYTES}. */
    static OptimizerBase read(Path path, OptimizerFactory factory) throws IOException {
        return read(path, factory, CgdConfig.DEFAULT_MAX_STATE_BYTES);
    }

    /**
     * Reads {@code path} into a new optimizer whose state takes at most {@code maxStateBytes} off-heap
     * bytes: the caller's limit, never one read from the file (a forged header could raise it).
     */
    static OptimizerBase read(Path path, OptimizerFactory factory, long maxStateBytes) throws IOException {
        Objects.requireNonNull(path, "path must not be null");
        if (maxStateBytes <= 0) {
            throw new IllegalArgumentException("maxStateBytes must be > 0, got " + maxStateBytes);
        }
        // NoSuchFileException, AccessDeniedException and friends come straight from the JDK.
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            int minimum = CheckpointFormat.PREAMBLE_BYTES + CheckpointFormat.TRAILER_BYTES;
            if (size < minimum) {
                throw invalid(path, "truncated: " + size + " bytes, a checkpoint has at least " + minimum);
            }
            byte[] preamble = readExactly(path, ch, 0, CheckpointFormat.PREAMBLE_BYTES);
            if (!Arrays.equals(preamble, 0, CheckpointFormat.MAGIC.length, CheckpointFormat.MAGIC, 0, CheckpointFormat.MAGIC.length)) {
                throw invalid(path, "wrong magic number " + HexFormat.ofDelimiter(" ").formatHex(preamble, 0, 8)
                        + ", not a cgd4j checkpoint");
            }
            ByteBuffer pre = ByteBuffer.wrap(preamble).order(ByteOrder.LITTLE_ENDIAN);
            int version = pre.getInt(8);
            if (version < CheckpointFormat.OLDEST_READABLE || version > CheckpointFormat.VERSION) {
                throw invalid(path, "format version " + Integer.toUnsignedString(version) + ", this library (cgd4j "
                        + CheckpointFormat.libraryVersion() + ") reads versions " + CheckpointFormat.OLDEST_READABLE
                        + " to " + CheckpointFormat.VERSION);
            }
            int storedCrc = ByteBuffer.wrap(readExactly(path, ch, size - CheckpointFormat.TRAILER_BYTES, CheckpointFormat.TRAILER_BYTES))
                    .order(ByteOrder.LITTLE_ENDIAN).getInt();
            int fileCrc = crcOf(path, ch, size - CheckpointFormat.TRAILER_BYTES);
            if (fileCrc != storedCrc) {
                throw invalid(path, String.format("checksum mismatch (stored %08x, computed %08x): the file is corrupted or truncated",
                        storedCrc, fileCrc));
            }
            long headerBytes = Integer.toUnsignedLong(pre.getInt(12));
            if (headerBytes > CheckpointFormat.MAX_HEADER_BYTES || CheckpointFormat.PREAMBLE_BYTES + headerBytes + CheckpointFormat.TRAILER_BYTES > size) {
                throw invalid(path, "header length " + headerBytes + " does not fit a file of " + size + " bytes");
            }
            byte[] headerArray = readExactly(path, ch, CheckpointFormat.PREAMBLE_BYTES, (int) headerBytes);
            CheckpointHeader header;
            try {
                header = HeaderCodec.decode(headerArray, version);
            } catch (HeaderReader.MalformedException e) {
                throw invalid(path, e.getMessage(), e.getCause());
            }
            long describedSize;
            try {
                describedSize = Math.addExact(CheckpointFormat.PREAMBLE_BYTES + headerBytes + CheckpointFormat.TRAILER_BYTES, header.sliceBytes());
            } catch (ArithmeticException e) {
                throw invalid(path, "slice lengths overflow");
            }
            if (describedSize != size) {
                throw invalid(path, "the file has " + size + " bytes, its header describes " + describedSize);
            }
            if (header.sliceOrder() != ByteOrder.nativeOrder()) {
                throw invalid(path, "state was written in " + header.sliceOrder() + " byte order, this machine is " + ByteOrder.nativeOrder());
            }

            requireAffordable(path, header, maxStateBytes);

            OptimizerBase optimizer;
            try {
                optimizer = factory.create(header);
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw invalid(path, "its optimizer (" + describe(header) + ") cannot be created here: " + e.getMessage(), e);
            }
            try {
                List<StateSlice> slices = optimizer.stateSlices();
                requireSameLayout(path, header, slices);
                CRC32C crc = new CRC32C();
                crc.update(preamble);
                crc.update(headerArray);
                long position = CheckpointFormat.PREAMBLE_BYTES + headerBytes;
                for (StateSlice s : slices) {
                    fill(path, ch, position, s.segment(), crc);
                    position += s.segment().byteSize();
                }
                if ((int) crc.getValue() != storedCrc) {
                    throw invalid(path, "the file changed while it was being loaded");
                }
                optimizer.restoreCounters(header.steps(), header.skippedSteps());
                if (optimizer instanceof StepFacade facade) {
                    facade.restoreLearningRateScale(header.learningRateScale());
                    String problem = facade.restoredStateProblem();
                    if (problem != null) {
                        throw invalid(path, problem + " (a state no step of this library writes; every later step would be refused)");
                    }
                }
                return optimizer;
            } catch (Throwable t) {
                optimizer.close();
                throw t;
            }
        }
    }

    /**
     * A checkpoint is untrusted input: before anything is allocated, the optimizer its header
     * describes must fit the caller's limit, its state must fit in the bytes the file actually holds
     * (the header's slice table was already matched against the file's length), and its thread
     * count must be one a pool may start. So a small forged file cannot make load allocate or zero
     * more than {@code maxStateBytes}, nor more than a fixed multiple of its own length for the
     * stateful groups it describes.
     */
    private static void requireAffordable(Path path, CheckpointHeader header, long maxStateBytes)
            throws InvalidCheckpointException {
        long held = header.sliceBytes();
        long minimum = StatePlan.minimumSavedBytes(header.spec());
        if (minimum > held) {
            throw invalid(path, "its header describes a " + describe(header) + " optimizer, whose state takes at least "
                    + minimum + " bytes, but the file holds " + held + " bytes of state");
        }
        long needed = StatePlan.allocationBytes(header.spec());
        if (needed > maxStateBytes) {
            throw invalid(path, "its " + describe(header) + " optimizer needs " + needed + " bytes of state, more than the"
                    + " caller's limit maxStateBytes = " + maxStateBytes + " (the file's own setting is not trusted;"
                    + " pass a larger limit to Optimizer.load(path, maxStateBytes) if the file is yours)");
        }
        if (header.spec().threads() > CheckpointFormat.MAX_THREADS) {
            throw invalid(path, "it asks for threads = " + header.spec().threads() + ", a loaded checkpoint may ask for at most "
                    + CheckpointFormat.MAX_THREADS);
        }
    }

    private static void requireSameLayout(Path path, CheckpointHeader header, List<StateSlice> slices) throws InvalidCheckpointException {
        List<SliceEntry> stored = header.slices();
        boolean same = stored.size() == slices.size();
        for (int i = 0; same && i < stored.size(); i++) {
            same = stored.get(i).name().equals(slices.get(i).name())
                    && stored.get(i).byteSize() == slices.get(i).segment().byteSize();
        }
        if (!same) {
            StringBuilder expected = new StringBuilder();
            for (StateSlice s : slices) {
                expected.append(expected.isEmpty() ? "" : ", ").append(s.name()).append(':').append(s.segment().byteSize());
            }
            StringBuilder found = new StringBuilder();
            for (SliceEntry s : stored) {
                found.append(found.isEmpty() ? "" : ", ").append(s.name()).append(':').append(s.byteSize());
            }
            throw invalid(path, "its state slices [" + found + "] (name:bytes) do not match a " + describe(header)
                    + " optimizer's [" + expected + "]");
        }
    }

    private static String describe(CheckpointHeader h) {
        String groups = h.spec() != null && h.spec().groups().size() > 1 ? ", " + h.spec().groups().size() + " groups" : "";
        return h.config().structure() + " " + h.config().metric() + ", dimension " + h.dimension() + groups;
    }

    private static byte[] readExactly(Path path, FileChannel ch, long position, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        readFully(path, ch, position, b);
        return b.array();
    }

    private static void readFully(Path path, FileChannel ch, long position, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            int r = ch.read(b, position);
            if (r < 0) {
                throw invalid(path, "the file shrank while it was being read");
            }
            position += r;
        }
    }

    private static int crcOf(Path path, FileChannel ch, long length) throws IOException {
        CRC32C crc = new CRC32C();
        ByteBuffer buf = ByteBuffer.allocateDirect((int) Math.min(CheckpointFormat.CHUNK_BYTES, Math.max(length, 1)));
        for (long pos = 0; pos < length; ) {
            buf.clear().limit((int) Math.min(buf.capacity(), length - pos));
            readFully(path, ch, pos, buf);
            pos += buf.flip().remaining();
            crc.update(buf);
        }
        return (int) crc.getValue();
    }

    private static void fill(Path path, FileChannel ch, long position, MemorySegment segment, CRC32C crc) throws IOException {
        long n = segment.byteSize();
        for (long off = 0; off < n; off += CheckpointFormat.CHUNK_BYTES) {
            ByteBuffer b = segment.asSlice(off, Math.min(CheckpointFormat.CHUNK_BYTES, n - off)).asByteBuffer();
            readFully(path, ch, position + off, b);
            crc.update(b.flip());
        }
    }

    private static InvalidCheckpointException invalid(Path path, String problem) {
        return new InvalidCheckpointException(path, problem);
    }

    private static InvalidCheckpointException invalid(Path path, String problem, Throwable cause) {
        return new InvalidCheckpointException(path, problem, cause);
    }
}
