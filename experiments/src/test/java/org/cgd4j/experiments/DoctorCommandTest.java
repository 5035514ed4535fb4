package org.cgd4j.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.cgd4j.blas.LinearAlgebraProvider;
import org.cgd4j.blas.LinearAlgebraReport;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** `cgd4j doctor` prints the JVM's real choices. */
class DoctorCommandTest {

    @Test
    void printsJdkVectorApiAndTheActiveLinearAlgebra() {
        StringWriter text = new StringWriter();
        CommandLine cli = new CommandLine(new Cgd4j());
        cli.setOut(new PrintWriter(text));
        int exit = cli.execute("doctor");
        String out = text.toString();
        LinearAlgebraReport report = LinearAlgebraProvider.report();

        assertThat(exit).as(out).isZero();
        assertThat(out).contains(Runtime.version().toString()).contains(System.getProperty("java.home"));
        assertThat(out).contains("jdk.incubator.vector is in the boot layer").contains("-bit: ");
        assertThat(out).contains("active         " + report.implementation());
        assertThat(out).contains("fallback       " + report.fallbackReason().orElse("none"));
        for (var attempt : report.attempts()) {
            assertThat(out).contains(attempt.toString());
        }
        if (report.isNative()) {
            assertThat(out).contains("library        " + report.library().orElseThrow());
            report.openblasConfig().ifPresent(c -> assertThat(out).contains("config         " + c));
        }
    }
}
