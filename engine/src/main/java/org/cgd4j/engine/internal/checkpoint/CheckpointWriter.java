package org.cgd4j.engine.internal.checkpoint;

import org.cgd4j.engine.internal.StepFacade;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32C;
import org.cgd4j.engine.internal.OptimizerBase;
import org.cgd4j.engine.internal.StateSlice;

/**
 * Writes a checkpoint so that the target path always holds either its previous content or the
 * complete new file: the bytes go to a temporary file in the same directory, which is forced to
 * disk and then renamed over the target with {@code ATOMIC_MOVE}; the directory is forced too, so
 * the rename itself survives a power loss where the file system allows it. A failure before the
 * rename deletes the temporary file; a process killed before the rename leaves the target
 * untouched and at most one stray {@code .NAME.*.tmp} file beside it.
 */
final class CheckpointWriter {
    private CheckpointWriter() {}

    /** The caller holds the optimizer's step guard, so no step changes the slices while they are copied. */
    static void write(OptimizerBase optimizer, Path path, SaveObserver observer) throws IOException {
        Objects.requireNonNull(path, "path must not be null");
        Path target = path.toAbsolutePath();
        Path dir = target.getParent();
        if (dir == null || Files.isDirectory(target)) {
            throw new FileSystemException(target.toString(), null, "is a directory, a checkpoint needs a file path");
        }
        List<StateSlice> slices = optimizer.stateSlices();
        List<SliceEntry> entries = new ArrayList<>(slices.size());
        for (StateSlice s : slices) {
            entries.add(new SliceEntry(s.name(), s.segment().byteSize()));
        }
        CheckpointHeader header = optimizer instanceof StepFacade facade
                ? new CheckpointHeader(CheckpointFormat.libraryVersion(), ByteOrder.nativeOrder(), optimizer.config(),
                        optimizer.dimension(), optimizer.steps(), optimizer.skippedSteps(), entries, facade.spec(),
                        facade.learningRateScale(), facade.precision())
                : new CheckpointHeader(CheckpointFormat.libraryVersion(), ByteOrder.nativeOrder(),
                        optimizer.config(), optimizer.dimension(), optimizer.steps(), optimizer.skippedSteps(), entries);
        byte[] headerBytes = HeaderCodec.encode(header);

        Path temp = dir.resolve("." + target.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                CRC32C crc = new CRC32C();
                ByteBuffer preamble = ByteBuffer.allocate(CheckpointFormat.PREAMBLE_BYTES).order(ByteOrder.LITTLE_ENDIAN);
                preamble.put(CheckpointFormat.MAGIC).putInt(CheckpointFormat.VERSION).putInt(headerBytes.length).flip();
                long written = put(ch, preamble, crc);
                written += put(ch, ByteBuffer.wrap(headerBytes), crc);
                observer.wrote(temp, written);
                for (StateSlice s : slices) {
                    MemorySegment seg = s.segment();
                    long n = seg.byteSize();
                    for (long off = 0; off < n; off += CheckpointFormat.CHUNK_BYTES) {
                        written += put(ch, seg.asSlice(off, Math.min(CheckpointFormat.CHUNK_BYTES, n - off)).asByteBuffer(), crc);
                        observer.wrote(temp, written);
                    }
                }
                ByteBuffer trailer = ByteBuffer.allocate(CheckpointFormat.TRAILER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
                trailer.putInt((int) crc.getValue()).flip();
                put(ch, trailer, null);
                ch.force(true);
            }
            observer.beforeRename(temp);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (Throwable t) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                t.addSuppressed(e);
            }
            throw t;
        }
        syncDirectory(dir);
    }

    private static long put(FileChannel ch, ByteBuffer bytes, CRC32C crc) throws IOException {
        if (crc != null) {
            crc.update(bytes.duplicate());
        }
        long n = bytes.remaining();
        while (bytes.hasRemaining()) {
            ch.write(bytes);
        }
        return n;
    }

    /** Makes the rename durable (Linux, macOS); some platforms cannot open a directory, then the rename is atomic but not yet durable. */
    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Windows and some file systems refuse: nothing more can be done portably.
        }
    }
}
