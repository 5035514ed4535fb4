package org.cgd4j.spark;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import org.cgd4j.engine.InvalidCheckpointException;
import org.cgd4j.engine.Optimizer;

/**
 * The driver's state after some iterations, in a directory on the driver's file system:
 * {@code iter-N/optimizer.cgd} (the optimizer's own checkpoint), {@code iter-N/params.bin} (q and N,
 * raw IEEE bits with a CRC32C) and {@code LATEST}, which names the newest complete {@code iter-N}
 * and is replaced atomically after both files are on disk. A crash at any point leaves LATEST
 * naming a complete pair; older pairs are deleted once LATEST has moved on.
 *
 * @param iteration iterations completed (the next one to run)
 * @param params    q after those iterations
 */
record SparkCheckpoint(long iteration, double[] params) {
    static final String LATEST = "LATEST";
    static final String OPTIMIZER_FILE = "optimizer.cgd";
    static final String PARAMS_FILE = "params.bin";
    private static final long MAGIC = 0x4347_4453_5052_4B31L; // "CGDSPRK1"

    /** Writes {@code optimizer} and {@code params} as iteration {@code iteration} and points LATEST at them. */
    static void save(Path dir, long iteration, Optimizer optimizer, double[] params) throws IOException {
        Files.createDirectories(dir);
        String name = "iter-" + iteration;
        Path step = dir.resolve(name);
        Files.createDirectories(step);
        optimizer.save(step.resolve(OPTIMIZER_FILE));
        writeAtomically(step.resolve(PARAMS_FILE), encode(iteration, params));
        writeAtomically(dir.resolve(LATEST), name.getBytes(StandardCharsets.UTF_8));
        deleteOthers(dir, name);
    }

    /** The newest checkpoint in {@code dir} and its optimizer (made by {@code factory.load}). */
    static Loaded load(Path dir, OptimizerFactory factory) throws IOException {
        Path latest = dir.resolve(LATEST);
        if (!Files.exists(latest)) {
            throw new NoSuchFileException(latest.toString(), null, "no checkpoint in " + dir);
        }
        String name = Files.readString(latest, StandardCharsets.UTF_8).trim();
        if (!name.matches("iter-[0-9]+")) {
            throw new InvalidCheckpointException(latest, "names '" + name + "', not an iter-N directory");
        }
        Path step = dir.resolve(name);
        SparkCheckpoint state = decode(Files.readAllBytes(step.resolve(PARAMS_FILE)), step.resolve(PARAMS_FILE));
        Optimizer optimizer = factory.load(step.resolve(OPTIMIZER_FILE));
        if (optimizer.dimension() != state.params().length) {
            optimizer.close();
            throw new InvalidCheckpointException(step, "the optimizer has dimension " + optimizer.dimension()
                    + " but params.bin holds " + state.params().length + " parameters");
        }
        return new Loaded(state, optimizer);
    }

    /** A checkpoint read back with its optimizer (the caller closes it). */
    record Loaded(SparkCheckpoint state, Optimizer optimizer) {}

    private static byte[] encode(long iteration, double[] params) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(24 + 8 * params.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(MAGIC);
            out.writeLong(iteration);
            out.writeInt(params.length);
            for (double v : params) {
                out.writeLong(Double.doubleToRawLongBits(v));
            }
            CRC32C crc = new CRC32C();
            crc.update(bytes.toByteArray());
            out.writeLong(crc.getValue());
        }
        return bytes.toByteArray();
    }

    private static SparkCheckpoint decode(byte[] b, Path file) throws IOException {
        if (b.length < 28 || ByteBuffer.wrap(b).getLong() != MAGIC) {
            throw new InvalidCheckpointException(file, "not a cgd4j Spark params file");
        }
        CRC32C crc = new CRC32C();
        crc.update(b, 0, b.length - 8);
        if (crc.getValue() != ByteBuffer.wrap(b, b.length - 8, 8).getLong()) {
            throw new InvalidCheckpointException(file, "corrupted (CRC32C mismatch)");
        }
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(b, 8, b.length - 16))) {
            long iteration = in.readLong();
            int d = in.readInt();
            if (iteration < 0 || d < 1 || b.length != 28 + 8L * d) {
                throw new InvalidCheckpointException(file, "inconsistent header (iteration " + iteration
                        + ", dimension " + d + ", " + b.length + " bytes)");
            }
            double[] params = new double[d];
            for (int i = 0; i < d; i++) {
                params[i] = Double.longBitsToDouble(in.readLong());
            }
            return new SparkCheckpoint(iteration, params);
        }
    }

    private static void writeAtomically(Path target, byte[] content) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        try {
            try (var ch = java.nio.channels.FileChannel.open(tmp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Deletes every iter-N directory but {@code keep} (best effort: a leftover is harmless). */
    private static void deleteOthers(Path dir, String keep) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "iter-*")) {
            for (Path old : entries) {
                if (!old.getFileName().toString().equals(keep) && Files.isDirectory(old)) {
                    try (DirectoryStream<Path> files = Files.newDirectoryStream(old)) {
                        for (Path f : files) {
                            Files.deleteIfExists(f);
                        }
                    }
                    Files.deleteIfExists(old);
                }
            }
        }
    }
}
