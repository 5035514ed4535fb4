package org.cgd4j.engine;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.cgd4j.engine.internal.Engines;
import org.cgd4j.engine.internal.OptimizerSpec;

/**
 * Builds an optimizer over a {@link ParamLayout}: {@link #config} for every tensor not named in a
 * {@link #group}, groups with their own configuration (their own structure too: a FULL head beside a
 * DIAGONAL body), a {@link Schedule}, global-norm clipping and threads. Every tensor belongs to
 * exactly one group; {@link #build} refuses a name in two groups, an unknown name, or a tensor in
 * no group without a default config, naming it.
 *
 * <pre>{@code
 * Optimizer opt = Optimizer.builder(layout)
 *         .config(CgdConfig.adamW(1e-3, 0.9, 0.999, 1e-8, 0.01))
 *         .group(CgdConfig.adam(1e-3, 0.9, 0.999, 1e-8), "b1")
 *         .schedule(Schedule.warmupCosine(100, 10_000, 0.0))
 *         .clipNorm(1.0)
 *         .build();
 * }</pre>
 */
public final class OptimizerBuilder {
    private final ParamLayout layout;
    private CgdConfig defaultConfig;
    private final List<OptimizerSpec.Group> groups = new ArrayList<>();
    private Schedule schedule = Schedule.constant();
    private double clipNorm;
    private int threads;

    OptimizerBuilder(ParamLayout layout) {
        this.layout = Objects.requireNonNull(layout, "layout must not be null");
    }

    /** The configuration of every tensor not named in a {@link #group}. */
    public OptimizerBuilder config(CgdConfig config) {
        this.defaultConfig = Objects.requireNonNull(config, "config must not be null");
        return this;
    }

    /** A parameter group: these tensors, by name, with their own configuration. */
    public OptimizerBuilder group(CgdConfig config, String... tensors) {
        Objects.requireNonNull(config, "group config must not be null");
        Objects.requireNonNull(tensors, "tensor names must not be null");
        if (tensors.length == 0) {
            throw new IllegalArgumentException("a parameter group needs at least one tensor name");
        }
        Set<String> unique = new LinkedHashSet<>();
        for (String name : tensors) {
            Objects.requireNonNull(name, "tensor names must not be null");
            layout.tensor(name); // an unknown name is refused here, naming it
            if (!unique.add(name)) {
                throw new IllegalArgumentException("tensor '" + name + "' is named twice in one group");
            }
        }
        groups.add(new OptimizerSpec.Group(config, List.copyOf(unique)));
        return this;
    }

    /** The learning-rate schedule (default {@link Schedule#constant()}). */
    public OptimizerBuilder schedule(Schedule schedule) {
        this.schedule = Objects.requireNonNull(schedule, "schedule must not be null");
        return this;
    }

    /** Global-norm clipping bound (torch clip_grad_norm_); 0 = off (default). */
    public OptimizerBuilder clipNorm(double maxNorm) {
        if (!(maxNorm >= 0) || Double.isInfinite(maxNorm)) {
            throw new IllegalArgumentException("clipNorm must be a finite number >= 0 (0 = off), got " + maxNorm);
        }
        this.clipNorm = maxNorm;
        return this;
    }

    /** Threads for large DIAGONAL passes (default: the default config's, else the first group's). */
    public OptimizerBuilder threads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        return this;
    }

    /** The optimizer; its off-heap state is allocated now and freed by {@link Optimizer#close()}. */
    public Optimizer build() {
        List<OptimizerSpec.Group> all = new ArrayList<>();
        if (defaultConfig != null) {
            Set<String> named = new LinkedHashSet<>();
            for (OptimizerSpec.Group g : groups) {
                named.addAll(g.tensors());
            }
            List<String> rest = layout.tensors().stream().map(ParamLayout.Tensor::name)
                    .filter(n -> !named.contains(n)).toList();
            if (!rest.isEmpty()) {
                all.add(new OptimizerSpec.Group(defaultConfig, rest));
            }
        }
        all.addAll(groups);
        if (all.isEmpty()) {
            throw new IllegalArgumentException("no config: call config(...) or group(...) before build()");
        }
        int t = threads > 0 ? threads : (defaultConfig != null ? defaultConfig : all.getFirst().config()).threads();
        return Engines.create(new OptimizerSpec(layout, all, schedule, clipNorm, t));
    }
}
