package org.cgd4j.experiments.report;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cgd4j.blas.LinearAlgebraProvider;
import org.cgd4j.blas.LinearAlgebraReport;
import org.cgd4j.engine.Kernels;

/** What the numbers were measured on: versions, kernels and the BLAS in use (for summary.json). */
public final class Environment {
    public static final String CGD4J_VERSION = "0.1.0-SNAPSHOT";

    private Environment() {}

    public static Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cgd4j", CGD4J_VERSION);
        m.put("java.version", System.getProperty("java.version"));
        m.put("java.vm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
        m.put("java.vendor", System.getProperty("java.vendor"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("kernels", kernels());
        m.put("blas", blas());
        return m;
    }

    /** The engine's kernel choice, as {@code cgd4j doctor} reports it. */
    public static String kernels() {
        try {
            return Kernels.describe();
        } catch (RuntimeException | LinkageError e) {
            return "unavailable: " + e.getMessage();
        }
    }

    /** The linear-algebra implementation the engine uses for FULL, or why none could be loaded. */
    public static String blas() {
        try {
            LinearAlgebraReport r = LinearAlgebraProvider.report();
            StringBuilder sb = new StringBuilder(r.implementation());
            r.library().ifPresent(l -> sb.append(", ").append(l));
            r.openblasConfig().ifPresent(c -> sb.append(", ").append(c.trim()));
            if (r.isNative()) {
                sb.append(", ").append(r.threads()).append(" thread(s)");
            }
            r.fallbackReason().filter(f -> !f.isBlank()).ifPresent(f -> sb.append(" (fallback: ").append(f).append(')'));
            return sb.toString();
        } catch (RuntimeException | LinkageError e) {
            return "unavailable: " + e.getMessage();
        }
    }
}
