package org.cgd4j.engine.internal.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.Optimizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What save does with unusual target paths: a symbolic link is replaced by the new file (rename
 * semantics; the file it pointed to stays as it was), a link to a directory is refused like a
 * directory, and a name as long as the file system allows saves, because the temporary name is
 * bounded whatever the target's length.
 */
class SavePathTest {
    @TempDir Path dir;

    static Optimizer stepped() {
        Optimizer o = Optimizer.create(CgdConfig.adam(1e-2, 0.9, 0.999, 1e-8), 3);
        o.step(new double[3], new double[] {1, 2, 3});
        return o;
    }

    static boolean symlinksSupported(Path dir) {
        try {
            Path probe = Files.createSymbolicLink(dir.resolve("probe-link"), dir.resolve("nowhere"));
            Files.delete(probe);
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    @Test
    void savingThroughASymbolicLinkReplacesTheLinkAndLeavesItsTargetAlone() throws IOException {
        assumeTrue(symlinksSupported(dir), "no symbolic links on this file system");
        Path old = dir.resolve("run-1.ckpt");
        Files.writeString(old, "the checkpoint the link points to");
        Path link = Files.createSymbolicLink(dir.resolve("latest.ckpt"), old);
        try (Optimizer o = stepped()) {
            o.save(link);
        }
        assertThat(Files.isSymbolicLink(link)).as("the link is replaced by a regular file").isFalse();
        assertThat(Files.isRegularFile(link, LinkOption.NOFOLLOW_LINKS)).isTrue();
        assertThat(Files.readString(old)).isEqualTo("the checkpoint the link points to");
        try (Optimizer r = Optimizer.load(link)) {
            assertThat(r.steps()).isEqualTo(1);
        }
        // A dangling link is replaced the same way.
        Path dangling = Files.createSymbolicLink(dir.resolve("dangling.ckpt"), dir.resolve("missing/nothing"));
        try (Optimizer o = stepped()) {
            o.save(dangling);
        }
        assertThat(Files.isRegularFile(dangling, LinkOption.NOFOLLOW_LINKS)).isTrue();
    }

    @Test
    void aLinkToADirectoryIsRefusedAsADirectory() throws IOException {
        assumeTrue(symlinksSupported(dir), "no symbolic links on this file system");
        Path sub = Files.createDirectory(dir.resolve("sub"));
        Path link = Files.createSymbolicLink(dir.resolve("to-dir"), sub);
        try (Optimizer o = stepped()) {
            assertThatThrownBy(() -> o.save(link)).isInstanceOf(FileSystemException.class)
                    .hasMessageContaining("is a directory");
        }
        assertThat(Files.isSymbolicLink(link)).isTrue();
    }

    /** The longest name this file system accepts, up to 255 bytes (found by trying). */
    int longestName(String unit) throws IOException {
        int best = 0;
        for (int n = 1; n * unit.getBytes(StandardCharsets.UTF_8).length <= 255; n++) {
            Path p = dir.resolve(unit.repeat(n));
            try {
                Files.writeString(p, "x");
                Files.delete(p);
                best = n;
            } catch (FileSystemException e) {
                break;
            }
        }
        return best;
    }

    @Test
    void theLongestLegalNameSaves() throws IOException {
        for (String unit : new String[] {"c", "é", "\u6f22", "\ud83d\ude00"}) { // 1, 2, 3 and 4 UTF-8 bytes
            int n = longestName(unit);
            assumeTrue(n > 0, "the file system refuses '" + unit + "'");
            Path target = dir.resolve(unit.repeat(n));
            try (Optimizer o = stepped()) {
                o.save(target);
                o.save(target); // and over an existing file
            }
            try (Optimizer r = Optimizer.load(target)) {
                assertThat(r.steps()).isEqualTo(1);
            }
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString())).as("no temporary file left").noneMatch(s -> s.endsWith(".tmp"));
            }
            Files.delete(target);
        }
    }

    @Test
    void temporaryNamesAreBoundedAndCutAtACodePoint() {
        assertThat(CheckpointWriter.temporaryName("run.ckpt", 0xabcL)).isEqualTo(".run.ckpt.abc.tmp");
        String longAscii = "a".repeat(255);
        assertThat(CheckpointWriter.temporaryName(longAscii, -1L))
                .isEqualTo("." + "a".repeat(CheckpointWriter.TEMP_PREFIX_BYTES) + ".ffffffffffffffff.tmp");
        String emoji = "\ud83d\ude00".repeat(60); // 4 bytes each: 16 fit in 64
        String temp = CheckpointWriter.temporaryName(emoji, 1);
        assertThat(temp).isEqualTo("." + "\ud83d\ude00".repeat(16) + ".1.tmp");
        String mixed = "x" + "é".repeat(40); // 1 + 2·31 = 63 bytes fit, the next é would make 65
        assertThat(CheckpointWriter.temporaryName(mixed, 2)).isEqualTo(".x" + "é".repeat(31) + ".2.tmp");
        for (String name : new String[] {longAscii, emoji, mixed, "\u6f22".repeat(85)}) {
            assertThat(CheckpointWriter.temporaryName(name, Long.MIN_VALUE).getBytes(StandardCharsets.UTF_8).length)
                    .isLessThanOrEqualTo(1 + CheckpointWriter.TEMP_PREFIX_BYTES + 1 + 16 + 4);
        }
    }
}
