package org.cgd4j.engine.internal.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.internal.OptimizerBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A save that fails or dies part-way never replaces a good checkpoint and leaves no debris behind (if it lives). */
class AtomicSaveTest {
    @TempDir Path dir;

    static final CgdConfig CONFIG = CgdConfig.adam(1e-3, 0.9, 0.999, 1e-8);

    private List<Path> listDir() throws IOException {
        try (var s = Files.list(dir)) {
            return s.toList();
        }
    }

    @Test
    void failureWhileWritingKeepsTheOldCheckpointAndRemovesTheTemporaryFile() throws IOException {
        Path target = dir.resolve("run.ckpt");
        try (FakeOptimizer old = new FakeOptimizer(CONFIG, 300_000).scramble(1, 100, 0);
             FakeOptimizer next = new FakeOptimizer(CONFIG, 300_000).scramble(2, 200, 0)) {
            old.save(target);
            byte[] before = Files.readAllBytes(target);
            SaveObserver diskFull = new SaveObserver() {
                @Override public void wrote(Path temp, long bytes) throws IOException {
                    assertThat(temp.getParent()).isEqualTo(dir);
                    if (bytes > 1_000_000) {
                        throw new IOException("No space left on device (simulated)");
                    }
                }
            };
            assertThatThrownBy(() -> CheckpointWriter.write(next, target, diskFull)).hasMessageContaining("No space left");
            assertThat(Files.readAllBytes(target)).isEqualTo(before);
            assertThat(listDir()).containsExactly(target);
        }
    }

    @Test
    void failureBeforeTheRenameKeepsTheOldCheckpoint() throws IOException {
        Path target = dir.resolve("run.ckpt");
        try (FakeOptimizer old = new FakeOptimizer(CONFIG, 10).scramble(1, 100, 0);
             FakeOptimizer next = new FakeOptimizer(CONFIG, 10).scramble(2, 200, 0)) {
            old.save(target);
            byte[] before = Files.readAllBytes(target);
            SaveObserver failRename = new SaveObserver() {
                @Override public void beforeRename(Path temp) throws IOException {
                    // The temporary file is complete and valid at this point.
                    try (OptimizerBase o = CheckpointReader.read(temp, FakeOptimizer::of)) {
                        assertThat(o.steps()).isEqualTo(200);
                    }
                    throw new IOException("rename refused (simulated)");
                }
            };
            assertThatThrownBy(() -> CheckpointWriter.write(next, target, failRename)).hasMessageContaining("rename refused");
            assertThat(Files.readAllBytes(target)).isEqualTo(before);
            assertThat(listDir()).containsExactly(target);
        }
    }

    @Test
    void processKilledDuringSaveLeavesTheOldCheckpointLoadable() throws Exception {
        Path target = dir.resolve("run.ckpt");
        try (FakeOptimizer old = new FakeOptimizer(CONFIG, 1000).scramble(1, 100, 0)) {
            old.save(target);
        }
        byte[] before = Files.readAllBytes(target);
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
                HaltDuringSave.class.getName(), target.toString())
                .redirectErrorStream(true).start();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child finished").isTrue();
        String out = new String(child.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(child.exitValue()).as("child output: %s", out).isEqualTo(HaltDuringSave.EXIT_CODE);
        assertThat(Files.readAllBytes(target)).isEqualTo(before);
        try (OptimizerBase o = CheckpointReader.read(target, FakeOptimizer::of)) {
            assertThat(o.steps()).isEqualTo(100);
        }
        // What a kill leaves behind: one partial hidden temporary file, never the target.
        assertThat(listDir()).hasSize(2).allMatch(p -> p.equals(target)
                || p.getFileName().toString().matches("\\.run\\.ckpt\\.[0-9a-f]+\\.tmp"));
    }

    /**
     * Makes {@code p} unwritable: chmod for ordinary users; root ignores permissions, so there the
     * immutable attribute (chattr +i, ext4 and similar) stands in. Returns false when neither works.
     */
    private static boolean lock(Path p) throws IOException, InterruptedException {
        if (!"root".equals(System.getProperty("user.name"))) {
            Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString(Files.isDirectory(p) ? "r-x------" : "r--------"));
            return true;
        }
        return new ProcessBuilder("chattr", "+i", p.toString()).redirectErrorStream(true).start().waitFor() == 0;
    }

    private static void unlock(Path p) throws IOException, InterruptedException {
        if (!"root".equals(System.getProperty("user.name"))) {
            Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        } else {
            new ProcessBuilder("chattr", "-i", p.toString()).redirectErrorStream(true).start().waitFor();
        }
    }

    @Test
    void noPermissionToWriteTheDirectoryKeepsTheOldCheckpoint() throws Exception {
        Path target = dir.resolve("run.ckpt");
        try (FakeOptimizer old = new FakeOptimizer(CONFIG, 10).scramble(1, 100, 0);
             FakeOptimizer next = new FakeOptimizer(CONFIG, 10).scramble(2, 200, 0)) {
            old.save(target);
            byte[] before = Files.readAllBytes(target);
            org.junit.jupiter.api.Assumptions.assumeTrue(lock(dir), "cannot make a directory unwritable here");
            try {
                assertThatThrownBy(() -> next.save(target)).isInstanceOf(FileSystemException.class)
                        .hasMessageContaining(dir.toString());
            } finally {
                unlock(dir);
            }
            assertThat(Files.readAllBytes(target)).isEqualTo(before);
            assertThat(listDir()).containsExactly(target);
        }
    }

    @Test
    void anUnreplaceableTargetFailsAtTheRenameAndLeavesNoTemporaryFile() throws Exception {
        Path target = dir.resolve("run.ckpt");
        try (FakeOptimizer old = new FakeOptimizer(CONFIG, 10).scramble(1, 100, 0);
             FakeOptimizer next = new FakeOptimizer(CONFIG, 10).scramble(2, 200, 0)) {
            old.save(target);
            byte[] before = Files.readAllBytes(target);
            // Only the immutable attribute stops a rename over a file in a writable directory.
            org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")) && lock(target),
                    "needs root and chattr");
            try {
                assertThatThrownBy(() -> next.save(target)).isInstanceOf(FileSystemException.class);
                assertThat(listDir()).containsExactly(target);
            } finally {
                unlock(target);
            }
            assertThat(Files.readAllBytes(target)).isEqualTo(before);
        }
    }

    @Test
    void missingDirectoryIsTheJdksNoSuchFileException() throws IOException {
        try (FakeOptimizer o = new FakeOptimizer(CONFIG, 3)) {
            assertThatThrownBy(() -> o.save(dir.resolve("no/such/dir/run.ckpt"))).isInstanceOf(NoSuchFileException.class);
        }
        assertThat(listDir()).isEmpty();
    }

    @Test
    void aDirectoryIsNotOverwritten() throws IOException {
        Path sub = Files.createDirectory(dir.resolve("sub"));
        try (FakeOptimizer o = new FakeOptimizer(CONFIG, 3)) {
            assertThatThrownBy(() -> o.save(sub)).isInstanceOf(FileSystemException.class).hasMessageContaining("is a directory");
        }
        assertThat(listDir()).containsExactly(sub);
    }

    @Test
    void closedOptimizerCannotSave() {
        FakeOptimizer o = new FakeOptimizer(CONFIG, 3);
        o.close();
        assertThatThrownBy(() -> o.save(dir.resolve("x"))).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void saveWhileAStepRunsIsRefused() throws IOException {
        try (FakeOptimizer o = new FakeOptimizer(CONFIG, 3)) {
            o.holdGuard();
            assertThatThrownBy(() -> o.save(dir.resolve("x"))).isInstanceOf(ConcurrentModificationException.class)
                    .hasMessageContaining("two threads");
            o.releaseGuard();
            o.save(dir.resolve("x"));
        }
        assertThat(listDir()).containsExactly(dir.resolve("x"));
    }

    @Test
    void nullPathIsRefused() {
        try (FakeOptimizer o = new FakeOptimizer(CONFIG, 3)) {
            assertThatThrownBy(() -> o.save(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("path");
        }
    }
}
