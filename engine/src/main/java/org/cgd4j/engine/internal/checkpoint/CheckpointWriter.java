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
 *
 * <p>The path names a directory entry, which the rename replaces: a symbolic link at the path is
 * replaced by the new regular file (the file it pointed to is left as it was), as {@code mv} and
 * other atomic-rename writers do. Following the link instead would replace a file the caller did
 * not name (saving to a "latest" link would overwrite the checkpoint it points to). A path that
 * is, or links to, a directory is refused.
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

        Path temp = dir.resolve(temporaryName(target.getFileName().toString(), ThreadLocalRandom.current().nextLong()));
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

    /** The most bytes of the target's name that the temporary name repeats. */
    static final int TEMP_PREFIX_BYTES = 64;

    /**
     * ".NAME.&lt;hex&gt;.tmp", NAME cut to its first {@link #TEMP_PREFIX_BYTES} bytes of UTF-8 (at a
     * code point): at most 86 bytes whatever the target's name, so a name that the file system
     * accepts (up to its limit, 255 bytes on ext4, XFS, Btrfs, tmpfs, APFS, NTFS) never fails because
     * the temporary name is longer than the target's.
     */
    static String temporaryName(String name, long random) {
        int end = 0;
        int bytes = 0;
        while (end < name.length()) {
            int cp = name.codePointAt(end);
            int size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + size > TEMP_PREFIX_BYTES) {
                break;
            }
            bytes += size;
            end += Character.charCount(cp);
        }
        return "." + name.substring(0, end) + "." + Long.toHexString(random) + ".tmp";
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
