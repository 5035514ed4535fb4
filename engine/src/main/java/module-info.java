/**
 * The CGD optimizer engine: {@link org.cgd4j.engine.CgdConfig} and {@link org.cgd4j.engine.Optimizer}.
 * The Vector API kernels are optional: they run when {@code jdk.incubator.vector} is resolved
 * ({@code --add-modules jdk.incubator.vector}), otherwise scalar kernels take over.
 */
module org.cgd4j.engine {
    requires transitive org.cgd4j.blas;
    requires static jdk.incubator.vector;
    requires java.management; // KernelLookup: is C2 on (-XX:TieredStopAtLevel)?
    exports org.cgd4j.engine;
}
