package org.cgd4j.experiments.run;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.Structure;

/**
 * The optimizers cgd4j compares, each as a {@link CgdConfig} preset, with its tunable
 * hyperparameters, their search ranges and textbook defaults (used only when no tuned value is
 * stored). Hyperparameters are kept in the units users know (β, not τ, for the presets).
 *
 * <p>Each kind names the {@link Suite suites} it runs on by default. A member of the CGD family needs
 * one line: {@code NAME("id", "Label", suites, c -> ...),} applies its change to
 * {@link CgdConfig#diagonalCgd} and searches diagonal CGD's space (γ, τ1, τ2, a, ε). New kinds go
 * last, before the lone semicolon: the ordinal seeds the tuning search, so inserting one earlier
 * would change the other kinds' draws.
 */
public enum OptimizerKind {
    SGD("sgd", "SGD", Suite.PAPER) {
        @Override public List<ParamRange> space() { return List.of(LR); }
        @Override Map<String, Double> defaultValues() { return map("lr", 1e-3); }
        @Override CgdConfig build(Map<String, Double> h, int d) { return CgdConfig.sgd(h.get("lr")); }
    },
    MOMENTUM("momentum", "Momentum", Suite.PAPER) {
        @Override public List<ParamRange> space() { return List.of(LR, ParamRange.complementLog("mu", 0.5, 0.999)); }
        @Override Map<String, Double> defaultValues() { return map("lr", 1e-3, "mu", 0.9); }
        @Override CgdConfig build(Map<String, Double> h, int d) { return CgdConfig.momentum(h.get("lr"), h.get("mu")); }
    },
    RMSPROP("rmsprop", "RMSProp", Suite.PAPER) {
        @Override public List<ParamRange> space() {
            return List.of(LR, ParamRange.complementLog("alpha", 0.5, 0.9999), ParamRange.log("eps", 1e-10, 1e-3));
        }
        @Override Map<String, Double> defaultValues() { return map("lr", 1e-3, "alpha", 0.99, "eps", 1e-8); }
        @Override CgdConfig build(Map<String, Double> h, int d) {
            return CgdConfig.rmsprop(h.get("lr"), h.get("alpha"), h.get("eps"));
        }
    },
    ADAM("adam", "Adam", Suite.PAPER, Suite.REAL_DATA) {
        @Override public List<ParamRange> space() { return List.of(LR, BETA1, BETA2, ParamRange.log("eps", 1e-10, 1e-3)); }
        @Override Map<String, Double> defaultValues() { return map("lr", 1e-3, "beta1", 0.9, "beta2", 0.999, "eps", 1e-8); }
        @Override CgdConfig build(Map<String, Double> h, int d) {
            return CgdConfig.adam(h.get("lr"), h.get("beta1"), h.get("beta2"), h.get("eps"));
        }
    },
    ADABELIEF("adabelief", "AdaBelief", Suite.PAPER) {
        @Override public List<ParamRange> space() { return List.of(LR, BETA1, BETA2, ParamRange.log("eps", 1e-16, 1e-6)); }
        @Override Map<String, Double> defaultValues() { return map("lr", 1e-3, "beta1", 0.9, "beta2", 0.999, "eps", 1e-16); }
        @Override CgdConfig build(Map<String, Double> h, int d) {
            return CgdConfig.adabelief(h.get("lr"), h.get("beta1"), h.get("beta2"), h.get("eps"));
        }
    },
    DIAGONAL_CGD("diagonal-cgd", "Diagonal CGD", Set.of(Suite.PAPER, Suite.REAL_DATA), c -> c),
    FULL_CGD("full-cgd", "Full CGD", Suite.PAPER) {
        @Override public List<ParamRange> space() {
            return List.of(LR, TAU1, TAU2, POWER, EPSILON, ParamRange.choice("warmup", 0, 1, 4));
        }
        @Override Map<String, Double> defaultValues() {
            return map("lr", 1e-3, "tau1", 9.0, "tau2", 999.0, "power", 0.5, "epsilon", 1e-8, "warmup", 0.0);
        }
        /** warmup is in units of d: the first warmup·d steps use the diagonal metric (SPEC, rank-deficient X̂). */
        @Override CgdConfig build(Map<String, Double> h, int d) {
            int warmup = (int) Math.round(h.getOrDefault("warmup", 0.0) * d);
            return CgdConfig.fullCgd(h.get("lr"), h.get("tau1"), h.get("tau2"), h.get("power"), h.get("epsilon"))
                    .withWarmupSteps(warmup);
        }
    },
    /** PyTorch AdamW: Adam with decoupled weight decay λ (q ← q·(1 − γλ) before the step). */
    ADAMW("adamw", "AdamW", Suite.REAL_DATA) {
        @Override public List<ParamRange> space() {
            return List.of(LR, BETA1, BETA2, ParamRange.log("eps", 1e-10, 1e-3), ParamRange.log("weightDecay", 1e-4, 1));
        }
        @Override Map<String, Double> defaultValues() {
            return map("lr", 1e-3, "beta1", 0.9, "beta2", 0.999, "eps", 1e-8, "weightDecay", 0.01);
        }
        @Override CgdConfig build(Map<String, Double> h, int d) {
            return CgdConfig.adamW(h.get("lr"), h.get("beta1"), h.get("beta2"), h.get("eps"), h.get("weightDecay"));
        }
    },
    /** On the paper's problems it runs where there are tensors (multiplication; Rosenbrock's two parameters have none). */
    KRONECKER_CGD("kronecker-cgd", "Kronecker CGD", Set.of(Suite.PAPER, Suite.REAL_DATA),
            c -> c.withStructure(Structure.KRONECKER).withRefreshEvery(10)),
    /**
     * Adam's rule (second moment, a = 1/2, ε outside, debiased) run in the Kronecker eigenbasis,
     * refreshed every 10 steps: SOAP's recipe expressed as a KRONECKER configuration. Searched over
     * Adam's space, so it differs from Adam only by the frame.
     */
    KRONECKER_ADAM("kronecker-adam", "Kronecker Adam", Suite.REAL_DATA) {
        @Override public List<ParamRange> space() { return ADAM.space(); }
        @Override Map<String, Double> defaultValues() { return ADAM.defaultValues(); }
        @Override CgdConfig build(Map<String, Double> h, int d) {
            return ADAM.build(h, d).withStructure(Structure.KRONECKER).withRefreshEvery(10);
        }
    },
    ;

    private static final ParamRange LR = ParamRange.log("lr", 1e-5, 1);
    private static final ParamRange BETA1 = ParamRange.complementLog("beta1", 0.5, 0.999);
    private static final ParamRange BETA2 = ParamRange.complementLog("beta2", 0.5, 0.99999);
    private static final ParamRange TAU1 = ParamRange.log("tau1", 0.1, 1000);
    private static final ParamRange TAU2 = ParamRange.log("tau2", 1, 1e5);
    private static final ParamRange POWER = ParamRange.linear("power", 0.1, 1);
    private static final ParamRange EPSILON = ParamRange.log("epsilon", 1e-12, 1e-2);

    private final String id;
    private final String label;
    private final Set<Suite> suites;
    /** For the CGD-family kinds declared in one line: the change to diagonalCgd(γ, τ1, τ2, a, ε); else null. */
    private final UnaryOperator<CgdConfig> cgdVariant;

    /** A kind with its own space, defaults and builder (the constant's body overrides them). */
    OptimizerKind(String id, String label, Suite first, Suite... more) {
        this(id, label, EnumSet.of(first, more), null);
    }

    /** A CGD-family kind: diagonal CGD's search space and defaults, its config changed by {@code variant}. */
    OptimizerKind(String id, String label, Set<Suite> suites, UnaryOperator<CgdConfig> variant) {
        this.id = id;
        this.label = label;
        this.suites = Set.copyOf(suites);
        this.cgdVariant = variant;
    }

    /** Stable key used on the command line and in files, e.g. "full-cgd". */
    public String id() { return id; }

    /** Human-readable name for tables and plots. */
    public String label() { return label; }

    /** The suites this kind runs on when no optimizers are named. */
    public Set<Suite> suites() { return suites; }

    /** The hyperparameters random search draws, with their ranges (CGD family: γ, τ1, τ2, a, ε). */
    public List<ParamRange> space() { return List.of(LR, TAU1, TAU2, POWER, EPSILON); }

    Map<String, Double> defaultValues() {
        return map("lr", 1e-3, "tau1", 9.0, "tau2", 999.0, "power", 0.5, "epsilon", 1e-8);
    }

    CgdConfig build(Map<String, Double> h, int d) {
        return cgdVariant.apply(CgdConfig.diagonalCgd(h.get("lr"), h.get("tau1"), h.get("tau2"), h.get("power"),
                h.get("epsilon")));
    }

    /** Textbook defaults (PyTorch's for the presets), in the order of {@link #space()}. */
    public Map<String, Double> defaults() { return defaultValues(); }

    /**
     * The engine configuration for these hyperparameters on a problem of dimension d.
     *
     * @throws IllegalArgumentException if a hyperparameter of {@link #space()} is missing or invalid
     */
    public CgdConfig config(Map<String, Double> hyperparameters, int dimension) {
        for (ParamRange p : space()) {
            Double v = hyperparameters.get(p.name());
            if (v == null || !Double.isFinite(v)) {
                throw new IllegalArgumentException(id + ": hyperparameter '" + p.name() + "' is missing or not finite in "
                        + hyperparameters);
            }
        }
        return build(hyperparameters, dimension);
    }

    /** The kind whose {@link #id()} is {@code id}. */
    public static OptimizerKind byId(String id) {
        for (OptimizerKind k : values()) {
            if (k.id.equals(id)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown optimizer '" + id + "'; known: " + ids());
    }

    /** The kinds that run on {@code suite} by default, in declaration order. */
    public static List<OptimizerKind> defaultsFor(Suite suite) {
        List<OptimizerKind> kinds = new ArrayList<>();
        for (OptimizerKind k : values()) {
            if (k.suites.contains(suite)) {
                kinds.add(k);
            }
        }
        return List.copyOf(kinds);
    }

    /** All ids, comma-separated. */
    public static String ids() {
        StringBuilder sb = new StringBuilder();
        for (OptimizerKind k : values()) {
            sb.append(sb.isEmpty() ? "" : ",").append(k.id);
        }
        return sb.toString();
    }

    private static Map<String, Double> map(Object... kv) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], ((Number) kv[i + 1]).doubleValue());
        }
        return m;
    }
}
