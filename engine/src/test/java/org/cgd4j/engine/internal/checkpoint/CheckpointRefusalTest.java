package org.cgd4j.engine.internal.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.InvalidCheckpointException;
import org.cgd4j.engine.Structure;
import org.cgd4j.engine.internal.OptimizerBase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every damaged or foreign file is refused with a message, before an optimizer is created where possible. */
class CheckpointRefusalTest {
    @TempDir Path dir;
    Path good;
    byte[] goodBytes;
    /** Optimizers the reader asked for; all must be closed again when it refuses. */
    final List<FakeOptimizer> created = new ArrayList<>();

    OptimizerBase create(CheckpointHeader h) {
        FakeOptimizer f = FakeOptimizer.of(h);
        created.add(f);
        return f;
    }

    @BeforeEach
    void writeGoodCheckpoint() throws IOException {
        good = dir.resolve("good.ckpt");
        try (FakeOptimizer f = new FakeOptimizer(CgdConfig.adam(1e-3, 0.9, 0.999, 1e-8), 3).scramble(5, 77, 2)) {
            f.save(good);
        }
        goodBytes = Files.readAllBytes(good);
    }

    /** Loads {@code bytes} from a file; asserts refusal with a message containing {@code expected}. */
    void assertRefused(byte[] bytes, String... expected) throws IOException {
        Path p = dir.resolve("bad.ckpt");
        Files.write(p, bytes);
        assertThatThrownBy(() -> CheckpointReader.read(p, this::create))
                .isInstanceOf(InvalidCheckpointException.class)
                .hasMessageStartingWith(p + ": not a usable cgd4j checkpoint: ")
                .hasMessageContaining(expected.length == 0 ? "" : expected[0]);
        assertThat(Files.readAllBytes(p)).as("load must not touch the file").isEqualTo(bytes);
        for (FakeOptimizer f : created) {
            assertThatThrownBy(() -> f.save(dir.resolve("x"))).as("refused optimizer must be closed")
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void everySingleByteChangeIsRefusedBeforeAnyOptimizerExists() throws IOException {
        // CRC32C detects every burst of up to 32 bits, so every change of one byte is caught.
        for (int i = 0; i < goodBytes.length; i++) {
            for (int flip : new int[] {0x01, 0x80, 0xFF}) {
                byte[] bad = goodBytes.clone();
                bad[i] ^= (byte) flip;
                assertRefused(bad);
            }
        }
        assertThat(created).as("nothing may be created from a corrupted file").isEmpty();
    }

    @Test
    void everyTruncationIsRefused() throws IOException {
        for (int n = 0; n < goodBytes.length; n++) {
            assertRefused(Arrays.copyOf(goodBytes, n));
        }
        assertThat(created).isEmpty();
    }

    @Test
    void truncationMessages() throws IOException {
        assertRefused(new byte[0], "truncated: 0 bytes");
        assertRefused(Arrays.copyOf(goodBytes, goodBytes.length - 1), "checksum mismatch");
    }

    @Test
    void appendedBytesAreRefused() throws IOException {
        assertRefused(Arrays.copyOf(goodBytes, goodBytes.length + 1), "checksum mismatch");
        // Even with a checksum that covers the extra byte, the header no longer describes the file.
        assertRefused(CheckpointBytes.withValidCrc(Arrays.copyOf(goodBytes, goodBytes.length + 8)), "its header describes");
    }

    @Test
    void wrongMagicIsRefused() throws IOException {
        assertRefused("this is a text file, not a checkpoint at all".getBytes(StandardCharsets.US_ASCII), "wrong magic number");
    }

    @Test
    void otherFormatVersionIsRefusedEvenWithAValidChecksum() throws IOException {
        byte[] next = goodBytes.clone(); // format 2 is current since issue 12: the next one is refused
        java.nio.ByteBuffer.wrap(next).order(ByteOrder.LITTLE_ENDIAN).putInt(8, CheckpointFormat.VERSION + 1);
        assertRefused(CheckpointBytes.withValidCrc(next), "format version " + (CheckpointFormat.VERSION + 1) + ", this library");
    }

    private CheckpointHeader header(CgdConfig c, int d, List<SliceEntry> slices) {
        return new CheckpointHeader("test", ByteOrder.nativeOrder(), c, d, 10, 0, slices);
    }

    private static List<SliceEntry> diagonalSlices(int d) {
        return List.of(new SliceEntry("m", 8L * d), new SliceEntry("s", 8L * d));
    }

    @Test
    void consistentFileOfAnotherStructureIsRefused() throws IOException {
        // Claims FULL but carries the slices of a DIAGONAL optimizer (three, so that their bytes
        // could hold a 3×3 S: with fewer, the file is refused earlier, as ForgedCheckpointTest shows).
        CgdConfig full = CgdConfig.fullCgd(0.1, 1, 1, 0.5, 1e-6);
        List<SliceEntry> diagonalCovariance = List.of(new SliceEntry("m", 24), new SliceEntry("s", 24), new SliceEntry("mu", 24));
        assertRefused(CheckpointBytes.build(header(full, 3, diagonalCovariance), new byte[72]),
                "do not match a FULL COVARIANCE, dimension 3 optimizer");
        assertThat(created).hasSize(1);
    }

    @Test
    void consistentFileOfAnotherDimensionIsRefused() throws IOException {
        CgdConfig c = CgdConfig.adam(1e-3, 0.9, 0.999, 1e-8);
        assertRefused(CheckpointBytes.build(header(c, 4, diagonalSlices(3)), new byte[48]), "dimension 4");
    }

    @Test
    void renamedSliceIsRefused() throws IOException {
        CgdConfig c = CgdConfig.adam(1e-3, 0.9, 0.999, 1e-8);
        List<SliceEntry> slices = List.of(new SliceEntry("m", 24), new SliceEntry("v", 24));
        assertRefused(CheckpointBytes.build(header(c, 3, slices), new byte[48]), "[m:24, v:24]");
    }

    @Test
    void foreignByteOrderIsRefused() throws IOException {
        ByteOrder other = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        CheckpointHeader h = new CheckpointHeader("test", other, CgdConfig.sgd(1), 3, 0, 0, diagonalSlices(3));
        assertRefused(CheckpointBytes.build(h, new byte[48]), "byte order");
        assertThat(created).isEmpty();
    }

    @Test
    void invalidConfigIsRefusedWithTheConfigsOwnMessage() throws IOException {
        byte[] header = HeaderCodec.encode(header(CgdConfig.sgd(0.5), 3, diagonalSlices(3)));
        // Replace learningRate's IEEE bits (0.5) by those of -1.0: the value CgdConfig refuses.
        byte[] half = longBytes(Double.doubleToRawLongBits(0.5));
        int at = indexOf(header, half);
        System.arraycopy(longBytes(Double.doubleToRawLongBits(-1.0)), 0, header, at, 8);
        assertRefused(CheckpointBytes.build(CheckpointFormat.VERSION, header, new byte[48]),
                "config refused: learningRate must be a finite number > 0, got -1.0");
        assertThat(created).isEmpty();
    }

    @Test
    void unknownEnumConstantIsRefusedByName() throws IOException {
        byte[] header = HeaderCodec.encode(header(CgdConfig.sgd(0.5), 3, diagonalSlices(3)));
        replaceAscii(header, "DIAGONAL", "DIAGONAX");
        assertRefused(CheckpointBytes.build(CheckpointFormat.VERSION, header, new byte[48]),
                "config entry 'structure' is DIAGONAX, not a constant of Structure");
    }

    @Test
    void unknownOrMissingConfigEntryIsRefusedByName() throws IOException {
        byte[] header = HeaderCodec.encode(header(CgdConfig.sgd(0.5), 3, diagonalSlices(3)));
        replaceAscii(header, "warmupSteps", "warmupStepz");
        assertRefused(CheckpointBytes.build(CheckpointFormat.VERSION, header, new byte[48]), "config lacks 'warmupSteps'");
    }

    @Test
    void zeroDimensionIsRefused() throws IOException {
        CheckpointHeader h = header(CgdConfig.sgd(1), 1, List.of());
        byte[] header = HeaderCodec.encode(h, 1); // format 1: its header ends with the slices
        // dimension is the i32 just before steps (10) and skipped (0) and the slice count (0).
        int at = header.length - 2 - 16 - 4;
        assertThat(header[at]).isEqualTo((byte) 1);
        header[at] = 0;
        assertRefused(CheckpointBytes.build(1, header, new byte[0]), "dimension 0 < 1");
    }

    @Test
    void missingFileIsTheJdksNoSuchFileException() {
        Path missing = dir.resolve("nope.ckpt");
        assertThatThrownBy(() -> CheckpointReader.read(missing, this::create))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining("nope.ckpt");
        assertThat(missing).doesNotExist();
    }

    @Test
    void directoryIsRefused() {
        assertThatThrownBy(() -> CheckpointReader.read(dir, this::create)).isInstanceOf(IOException.class);
        assertThat(created).isEmpty();
    }

    @Test
    void unreadableFileIsTheJdksAccessDeniedException() throws IOException {
        Files.setPosixFilePermissions(good, PosixFilePermissions.fromString("---------"));
        // root reads every file regardless of permissions: nothing to test there.
        assumeFalse(Files.isReadable(good), "running as root: permissions are not enforced");
        assertThatThrownBy(() -> CheckpointReader.read(good, this::create)).isInstanceOf(AccessDeniedException.class);
    }

    @Test
    void theUntouchedFileLoads() {
        // The control: the good file loads through the same path that the refusals take.
        assertThat(created).isEmpty();
        try (OptimizerBase o = uncheckedLoad(good)) {
            assertThat(o.steps()).isEqualTo(77);
            assertThat(o.skippedSteps()).isEqualTo(2);
            assertThat(o.config().structure()).isEqualTo(Structure.DIAGONAL);
        }
    }

    private OptimizerBase uncheckedLoad(Path p) {
        try {
            return CheckpointReader.read(p, this::create);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] longBytes(long v) {
        return java.nio.ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("pattern not found");
    }

    private static void replaceAscii(byte[] hay, String from, String to) {
        int at = indexOf(hay, from.getBytes(StandardCharsets.US_ASCII));
        System.arraycopy(to.getBytes(StandardCharsets.US_ASCII), 0, hay, at, to.length());
    }
}
