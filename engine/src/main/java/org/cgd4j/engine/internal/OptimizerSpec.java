package org.cgd4j.engine.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.ParamLayout;
import org.cgd4j.engine.Schedule;

/**
 * Everything that defines an optimizer apart from its state: the layout, the parameter groups (each
 * a config and its tensors), the schedule, the clipping norm and the thread count. Validated here
 * once; {@link Engines} builds an optimizer from it and checkpoints store it.
 *
 * @param clipNorm maximum global gradient norm, 0 = no clipping
 */
public record OptimizerSpec(ParamLayout layout, List<Group> groups, Schedule schedule, double clipNorm, int threads) {

    /** One parameter group: its configuration and its tensors, by name. */
    public record Group(CgdConfig config, List<String> tensors) {
        public Group {
            Objects.requireNonNull(config, "group config must not be null");
            tensors = List.copyOf(tensors);
        }
    }

    public OptimizerSpec {
        Objects.requireNonNull(layout, "layout must not be null");
        Objects.requireNonNull(schedule, "schedule must not be null");
        groups = List.copyOf(groups);
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("an optimizer needs at least one parameter group");
        }
        if (!(clipNorm >= 0) || Double.isInfinite(clipNorm)) {
            throw new IllegalArgumentException("clipNorm must be a finite number >= 0 (0 = off), got " + clipNorm);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        Map<String, Integer> owner = new HashMap<>();
        for (int k = 0; k < groups.size(); k++) {
            Group g = groups.get(k);
            if (g.tensors().isEmpty()) {
                throw new IllegalArgumentException("parameter group " + k + " has no tensors");
            }
            for (String name : g.tensors()) {
                layout.tensor(name); // refuses an unknown name, listing the known ones
                Integer previous = owner.put(name, k);
                if (previous != null) {
                    throw new IllegalArgumentException("tensor '" + name + "' is in two parameter groups ("
                            + previous + " and " + k + "): every tensor belongs to exactly one group");
                }
            }
            if (g.config().nonFinitePolicy() != groups.getFirst().config().nonFinitePolicy()) {
                throw new IllegalArgumentException("parameter group " + k + " has nonFinitePolicy "
                        + g.config().nonFinitePolicy() + ", group 0 has " + groups.getFirst().config().nonFinitePolicy()
                        + ": one step checks the whole gradient under one policy");
            }
        }
        for (ParamLayout.Tensor t : layout.tensors()) {
            if (!owner.containsKey(t.name())) {
                throw new IllegalArgumentException("tensor '" + t.name() + "' is in no parameter group and there is no default config");
            }
        }
    }

    /** {@code Optimizer.create(config, d)}: one vector, one group, no schedule, no clipping. */
    public static OptimizerSpec single(CgdConfig config, int dimension) {
        Objects.requireNonNull(config, "config must not be null");
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be >= 1, got " + dimension);
        }
        return new OptimizerSpec(ParamLayout.vector(dimension), List.of(new Group(config, List.of("params"))),
                Schedule.constant(), 0, config.threads());
    }

    /** The configuration the optimizer reports as its own: the first group's (the default one when given). */
    public CgdConfig primaryConfig() { return groups.getFirst().config(); }

    /**
     * The contiguous runs of flat indices a group covers, in layout order, adjacent tensors merged:
     * pairs {start, length}.
     */
    public List<int[]> runsOf(int group) {
        List<String> names = groups.get(group).tensors();
        List<int[]> runs = new ArrayList<>();
        for (ParamLayout.Tensor t : layout.tensors()) {
            if (!names.contains(t.name())) {
                continue;
            }
            int[] last = runs.isEmpty() ? null : runs.getLast();
            if (last != null && last[0] + last[1] == t.offset()) {
                last[1] += t.size();
            } else {
                runs.add(new int[] {t.offset(), t.size()});
            }
        }
        return runs;
    }
}
