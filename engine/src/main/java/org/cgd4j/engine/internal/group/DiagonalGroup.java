package org.cgd4j.engine.internal.group;

import java.util.List;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.internal.kernel.KernelOp;
import org.cgd4j.engine.internal.kernel.StepCoefficients;

/**
 * A DIAGONAL parameter group: its configuration's fused kernel op and step scalars, and the
 * contiguous runs of the flat vector it covers (one fused pass per run). Its state lives in the
 * optimizer's flat m, s, μ buffers at the same indices as its params, so a run's state is the same
 * range of those buffers (see StepFacade).
 */
public final class DiagonalGroup {
    public final int index;
    public final CgdConfig config;
    public final KernelOp op;
    public final StepCoefficients coefficients;
    public final Span[] runs;

    public DiagonalGroup(int index, CgdConfig config, List<Span> runs) {
        this.index = index;
        this.config = config;
        this.op = KernelOp.of(config);
        this.coefficients = new StepCoefficients(config);
        this.runs = runs.toArray(Span[]::new);
    }

    /** Elements the group covers. */
    public long size() {
        long n = 0;
        for (Span s : runs) {
            n += s.length();
        }
        return n;
    }
}
