package org.cgd4j.engine.internal.full;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cgd4j.engine.internal.full.FullTestSupport.relativeError;
import static org.cgd4j.engine.internal.full.FullTestSupport.snapshot;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.cgd4j.blas.LinearAlgebra;
import org.cgd4j.blas.LinearAlgebraProvider;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.Metric;
import org.cgd4j.engine.Optimizer;
import org.cgd4j.engine.RefreshMode;
import org.cgd4j.engine.internal.full.FullTestSupport.Quadratic;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.cgd4j.engine.internal.Engines;
import org.cgd4j.engine.internal.StepFacade;

/** OpenBLAS (FFM) and the pure-Java eigensolver give the same run; a checkpoint resumes bit-identically. */
class FullImplementationsAgreeTest {
    static final int D = 12;

    /**
     * TRACKED estimates eigenvalues in the basis of the last refresh, and inside a degenerate
     * eigenspace (the null space of X̂ while t &lt; d) each LAPACK picks its own basis; its warm-up
     * lets the first refresh see a full-rank X̂, so the two implementations share one basis.
     */
    static Stream<CgdConfig> configs() {
        CgdConfig base = CgdConfig.fullCgd(0.02, 4, 19, 0.5, 1e-3).withDebias(true);
        return Stream.of(base, base.withPower(1).withMetric(Metric.BELIEF), base.withPower(0.3).withMetric(Metric.SECOND_MOMENT),
                base.withRefreshEvery(5).withRefreshMode(RefreshMode.TRACKED).withWarmupSteps(D + 2), base.withRefreshEvery(5).withWarmupSteps(3));
    }

    static LinearAlgebra nativeOrSkip() {
        boolean required = "native".equals(System.getProperty("cgd4j.blas"));
        try {
            return LinearAlgebraProvider.nativeLibrary();
        } catch (IllegalStateException e) {
            if (required) {
                throw e;
            }
            Assumptions.abort("no native BLAS: " + e.getMessage());
            return null;
        }
    }

    @ParameterizedTest
    @MethodSource("configs")
    void nativeAndPureJavaEigenPathsAgreeOverAWholeRun(CgdConfig config) {
        LinearAlgebra nativeLa = nativeOrSkip();
        Quadratic pa = new Quadratic(D, 4);
        Quadratic pb = new Quadratic(D, 4);
        double[] qa = new double[D];
        double[] qb = new double[D];
        try (StepFacade a = Engines.full(nativeLa, config, D);
             StepFacade b = Engines.full(LinearAlgebraProvider.pureJava(), config, D)) {
            for (int t = 1; t <= 200; t++) {
                a.step(qa, pa.gradient(qa));
                b.step(qb, pb.gradient(qb));
                assertThat(relativeError(qb, qa)).as("step %d", t).isLessThan(1e-10);
            }
            assertThat(relativeError(b.eigenvalues(), a.eigenvalues())).isLessThan(1e-10);
        }
    }

    @ParameterizedTest
    @MethodSource("configs")
    void checkpointResumesBitIdentically(CgdConfig config, @TempDir Path dir) throws Exception {
        Quadratic pa = new Quadratic(D, 6);
        Quadratic pb = new Quadratic(D, 6);
        double[] qa = new double[D];
        double[] qb = new double[D];
        Path file = dir.resolve("full.ckpt");
        try (Optimizer a = Optimizer.create(config, D); Optimizer b = Optimizer.create(config, D)) {
            for (int t = 0; t < 13; t++) { // mid-way between refreshes for refreshEvery = 5
                a.step(qa, pa.gradient(qa));
                b.step(qb, pb.gradient(qb));
            }
            b.save(file);
        }
        try (Optimizer a = Optimizer.create(config, D); Optimizer resumed = Optimizer.load(file)) {
            // replay a to the same point
            Quadratic pc = new Quadratic(D, 6);
            double[] qc = new double[D];
            for (int t = 0; t < 13; t++) {
                a.step(qc, pc.gradient(qc));
            }
            assertThat(resumed.steps()).isEqualTo(13);
            assertThat(resumed.eigenvalues()).isEqualTo(a.eigenvalues());
            assertThat(snapshot((StepFacade) resumed)).usingRecursiveComparison().isEqualTo(snapshot((StepFacade) a));
            for (int t = 0; t < 12; t++) {
                a.step(qc, pc.gradient(qc));
                resumed.step(qb, pb.gradient(qb));
                assertThat(qb).isEqualTo(qc);
            }
        }
    }
}
