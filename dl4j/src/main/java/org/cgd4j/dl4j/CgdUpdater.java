package org.cgd4j.dl4j;

import java.util.Map;
import java.util.Objects;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.CovarianceMean;
import org.cgd4j.engine.Metric;
import org.cgd4j.engine.NonFinitePolicy;
import org.cgd4j.engine.ParamLayout;
import org.cgd4j.engine.RefreshMode;
import org.cgd4j.engine.Structure;
import org.cgd4j.engine.StructuredUpdate;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * cgd4j's optimizers as a Deeplearning4j updater: put {@code .updater(CgdUpdater.adam(1e-3))}
 * where a configuration had {@code .updater(new Adam(1e-3))}. Its {@link CgdGradientUpdater} steps in
 * place on ND4J's off-heap gradient and updater-state views through {@code MemorySegment}s (no copy),
 * with the engine's fused kernels ({@link org.cgd4j.engine.DiagonalUpdate}); all optimizer state lives
 * in DL4J's updater-state view, so {@code ModelSerializer} saves and restores it, and DL4J's iteration
 * count is the step t (t = iteration + 1), so Adam's bias correction continues after a reload.
 *
 * <p><b>Bias correction.</b> cgd4j's configs ({@link #of(CgdConfig)}) debias the averages themselves,
 * m̂ = m/(1−β1^t), X̂ = X/(1−β2^t), with ε' added to X̂^a (PyTorch's Adam). ND4J's {@code Adam}, like
 * Keras' and Kingma &amp; Ba's Algorithm 1, folds the corrections into the step size instead,
 * γ_t = γ·√(1−β2^t)/(1−β1^t), and adds ε to √v, the raw average: {@link #adam} does that
 * ({@link BiasCorrection#STEP_SIZE}: the kernels see the raw averages and γ_t = γ·c2^a/c1), so it is
 * ND4J's Adam up to rounding. {@link #torchAdam} is PyTorch's.
 *
 * <p><b>AdamW, L2.</b> DL4J applies regularization itself, around the updater, with the parameters the
 * updater never sees, so a config's weightDecay and l2 must be 0 here. AdamW is {@link #adamW} plus
 * DL4J's {@code .weightDecay(λ)} (WeightDecay with applyLR = true: q ← q − γ_t·λ·q besides the update,
 * with γ_t this updater's learning rate at the iteration), which is PyTorch's AdamW(lr, betas, eps, λ);
 * coupled L2 is DL4J's {@code .l2(λ)} (g ← g + λ·q before the updater), cgd4j's l2.
 *
 * <p><b>Structures.</b> DIAGONAL (any metric, power, timescales, debias) runs on float and double
 * networks. FULL and KRONECKER ({@link #fullCgd}, {@link #kronecker}, or {@link #of} with such a
 * config) precondition each parameter tensor of a layer by itself (FULL: one n × n metric per tensor;
 * KRONECKER: factors per tensor block); KRONECKER runs float and double networks (float state and
 * arithmetic in float ones), FULL double networks. They need the
 * tensors' shapes, which DL4J never hands an updater (it asks {@link #stateSize(long)} with a count
 * and gives the {@link GradientUpdater} flat views), so after {@code net.init()} and before the first
 * {@code fit} call {@link #bindLayers(MultiLayerNetwork)} (or the {@link ComputationGraph} one): it
 * replaces each layer's structured CgdUpdater by a copy bound to that layer's parameter table (the
 * layer's name and its tensors' shapes, saved in the JSON, so a restored network needs no new binding).
 * Their state lives in DL4J's updater-state view as {@link StructuredUpdate} describes: the committed
 * state, written through after every step, so {@code ModelSerializer} saves it as it is.
 * {@link CgdConfig#threads()} is used by KRONECKER's blocks only (DL4J runs one updater block at a time).
 *
 * <p>JSON: the fields below, with ND4J's shaded Jackson, so a network configuration using it
 * round-trips through {@code toJson}/{@code fromJson}; {@link #equals}/{@link #hashCode} compare
 * every field (DL4J merges adjacent parameters into one updater block when their updaters are equal).
 */
public final class CgdUpdater implements IUpdater {
    private static final long serialVersionUID = 1L;

    /** Where Adam's bias corrections (1−β^t) go. */
    public enum BiasCorrection {
        /** As the config says: debias the averages (cgd4j's and PyTorch's rule). */
        METRIC,
        /** Into the step size, γ_t = γ·c2^a/c1, the kernels seeing the raw averages (ND4J's and Keras' Adam). */
        STEP_SIZE
    }

    @JsonProperty("learningRate") private double learningRate;
    @JsonProperty("learningRateSchedule") private ISchedule learningRateSchedule;
    @JsonProperty("tau1") private final double tau1;
    @JsonProperty("tau2") private final double tau2;
    @JsonProperty("power") private final double power;
    @JsonProperty("epsilon") private final double epsilon;
    @JsonProperty("epsilonOutside") private final double epsilonOutside;
    @JsonProperty("metric") private final Metric metric;
    @JsonProperty("debias") private final boolean debias;
    @JsonProperty("covarianceMean") private final CovarianceMean covarianceMean;
    @JsonProperty("nonFinitePolicy") private final NonFinitePolicy nonFinitePolicy;
    @JsonProperty("biasCorrection") private final BiasCorrection biasCorrection;
    @JsonProperty("structure") private final Structure structure;
    @JsonProperty("refreshEvery") private final int refreshEvery;
    @JsonProperty("refreshMode") private final RefreshMode refreshMode;
    @JsonProperty("warmupSteps") private final int warmupSteps;
    @JsonProperty("blockSize") private final int blockSize;
    @JsonProperty("staggerRefresh") private final boolean staggerRefresh;
    @JsonProperty("threads") private final int threads;
    /** The layer this updater is bound to ({@link #bindLayers}), or null. */
    @JsonProperty("layer") private final String layer;
    /** Its tensors as {@link LayerTensors#encode} writes them ("W:10x64,b:1x10"), or null when unbound. */
    @JsonProperty("paramShapes") private final String paramShapes;
    /** State elements per tensor size, computed once per updater (building an engine to measure them); null after Java deserialization. */
    private transient Map<Long, Long> stateSizes;

    /**
     * The JSON creator: every field; validated as {@link #of(CgdConfig, BiasCorrection, ISchedule)} does.
     * Fields absent from older JSON (structure and after) take DIAGONAL's values.
     */
    @JsonCreator
    public CgdUpdater(@JsonProperty("learningRate") double learningRate,
                      @JsonProperty("learningRateSchedule") ISchedule learningRateSchedule,
                      @JsonProperty("tau1") double tau1, @JsonProperty("tau2") double tau2,
                      @JsonProperty("power") double power, @JsonProperty("epsilon") double epsilon,
                      @JsonProperty("epsilonOutside") double epsilonOutside, @JsonProperty("metric") Metric metric,
                      @JsonProperty("debias") boolean debias,
                      @JsonProperty("covarianceMean") CovarianceMean covarianceMean,
                      @JsonProperty("nonFinitePolicy") NonFinitePolicy nonFinitePolicy,
                      @JsonProperty("biasCorrection") BiasCorrection biasCorrection,
                      @JsonProperty("structure") Structure structure,
                      @JsonProperty("refreshEvery") int refreshEvery,
                      @JsonProperty("refreshMode") RefreshMode refreshMode,
                      @JsonProperty("warmupSteps") int warmupSteps,
                      @JsonProperty("blockSize") int blockSize,
                      @JsonProperty("staggerRefresh") boolean staggerRefresh,
                      @JsonProperty("threads") int threads,
                      @JsonProperty("layer") String layer,
                      @JsonProperty("paramShapes") String paramShapes) {
        this.learningRate = learningRate;
        this.learningRateSchedule = learningRateSchedule;
        this.tau1 = tau1;
        this.tau2 = tau2;
        this.power = power;
        this.epsilon = epsilon;
        this.epsilonOutside = epsilonOutside;
        this.metric = metric;
        this.debias = debias;
        this.covarianceMean = covarianceMean;
        this.nonFinitePolicy = nonFinitePolicy;
        this.biasCorrection = Objects.requireNonNull(biasCorrection, "biasCorrection must not be null");
        this.structure = structure == null ? Structure.DIAGONAL : structure;
        this.refreshEvery = refreshEvery == 0 ? 1 : refreshEvery;
        this.refreshMode = refreshMode == null ? RefreshMode.STALE : refreshMode;
        this.warmupSteps = warmupSteps;
        this.blockSize = blockSize == 0 ? CgdConfig.DEFAULT_BLOCK_SIZE : blockSize;
        this.staggerRefresh = staggerRefresh;
        this.threads = threads == 0 ? 1 : threads;
        if ((layer == null) != (paramShapes == null)) {
            throw new IllegalArgumentException("layer and paramShapes are set together (a binding) or not at all, got layer = "
                    + layer + ", paramShapes = " + paramShapes);
        }
        if (paramShapes != null && this.structure == Structure.DIAGONAL) {
            throw new IllegalArgumentException("a DIAGONAL updater needs no binding to layer shapes");
        }
        this.layer = layer;
        this.paramShapes = paramShapes;
        if (paramShapes != null) {
            LayerTensors.parse(paramShapes); // refuses a malformed list
        }
        validate(config());
        if (biasCorrection == BiasCorrection.STEP_SIZE && !debias) {
            throw new IllegalArgumentException("biasCorrection STEP_SIZE moves the config's debiasing into the step size;"
                    + " this config has debias = false, so there is nothing to move: use METRIC");
        }
        if (biasCorrection == BiasCorrection.STEP_SIZE && this.structure != Structure.DIAGONAL) {
            throw new IllegalArgumentException("biasCorrection STEP_SIZE is ND4J's Adam rule, for structure DIAGONAL; "
                    + this.structure + " debiases as its config says: use METRIC");
        }
    }

    // ---- factories ----

    /** Any DIAGONAL config, its bias correction as the config says ({@link BiasCorrection#METRIC}). */
    public static CgdUpdater of(CgdConfig config) {
        return of(config, BiasCorrection.METRIC, null);
    }

    /**
     * A DIAGONAL config with a bias-correction placement and an optional learning-rate schedule (null
     * for none; its value at (iteration, epoch) replaces the config's learning rate).
     */
    public static CgdUpdater of(CgdConfig config, BiasCorrection biasCorrection, ISchedule learningRateSchedule) {
        validate(config);
        return new CgdUpdater(config.learningRate(), learningRateSchedule, config.tau1(), config.tau2(), config.power(),
                config.epsilon(), config.epsilonOutside(), config.metric(), config.debias(), config.covarianceMean(),
                config.nonFinitePolicy(), biasCorrection, config.structure(), config.refreshEvery(), config.refreshMode(),
                config.warmupSteps(), config.blockSize(), config.staggerRefresh(), config.threads(), null, null);
    }

    /** ND4J's {@code Adam(lr, beta1, beta2, epsilon)}: the same update up to rounding (see the class comment). */
    public static CgdUpdater adam(double lr, double beta1, double beta2, double epsilon) {
        return of(CgdConfig.adam(lr, beta1, beta2, epsilon), BiasCorrection.STEP_SIZE, null);
    }

    /** ND4J's {@code Adam(lr)}: β1 = 0.9, β2 = 0.999, ε = 1e-8 (ND4J's defaults). */
    public static CgdUpdater adam(double lr) {
        return adam(lr, 0.9, 0.999, 1e-8);
    }

    /** ND4J's {@code Adam(schedule)}: the schedule's learning rate, ND4J's default β1, β2, ε. */
    public static CgdUpdater adam(ISchedule learningRateSchedule) {
        Objects.requireNonNull(learningRateSchedule, "learningRateSchedule must not be null");
        return of(CgdConfig.adam(learningRateSchedule.valueAt(0, 0), 0.9, 0.999, 1e-8), BiasCorrection.STEP_SIZE,
                learningRateSchedule);
    }

    /** PyTorch's {@code Adam(lr, (beta1, beta2), eps)}: cgd4j's {@link CgdConfig#adam} (ε' added to √v̂). */
    public static CgdUpdater torchAdam(double lr, double beta1, double beta2, double epsilon) {
        return of(CgdConfig.adam(lr, beta1, beta2, epsilon));
    }

    /**
     * The update of PyTorch's {@code AdamW(lr, (beta1, beta2), eps, λ)}; the decay is DL4J's: add
     * {@code .weightDecay(λ)} to the layer or network builder (q ← q − γ_t·λ·q with γ_t this updater's
     * learning rate), which makes the whole step PyTorch's AdamW.
     */
    public static CgdUpdater adamW(double lr, double beta1, double beta2, double epsilon) {
        return torchAdam(lr, beta1, beta2, epsilon);
    }

    /** Diagonal CGD (paper §4): {@link CgdConfig#diagonalCgd}. */
    public static CgdUpdater diagonalCgd(double lr, double tau1, double tau2, double power, double epsilon) {
        return of(CgdConfig.diagonalCgd(lr, tau1, tau2, power, epsilon));
    }

    /**
     * Kronecker CGD per layer: {@link CgdConfig#diagonalCgd} in the Kronecker frame of each weight
     * tensor, refreshed every 10 steps (as the digits experiment runs it). Float and double networks;
     * call {@link #bindLayers(MultiLayerNetwork)} after {@code init()}.
     */
    public static CgdUpdater kronecker(double lr, double tau1, double tau2, double power, double epsilon) {
        return of(CgdConfig.diagonalCgd(lr, tau1, tau2, power, epsilon).withStructure(Structure.KRONECKER).withRefreshEvery(10));
    }

    /**
     * Full CGD per parameter tensor: {@link CgdConfig#fullCgd}, one n × n metric per tensor (n² doubles
     * each: small layers only). Double networks; call {@link #bindLayers(MultiLayerNetwork)} after {@code init()}.
     */
    public static CgdUpdater fullCgd(double lr, double tau1, double tau2, double power, double epsilon) {
        return of(CgdConfig.fullCgd(lr, tau1, tau2, power, epsilon));
    }

    /** AdaBelief: {@link CgdConfig#adabelief}. */
    public static CgdUpdater adabelief(double lr, double beta1, double beta2, double epsilon) {
        return of(CgdConfig.adabelief(lr, beta1, beta2, epsilon));
    }

    /** PyTorch's RMSprop: {@link CgdConfig#rmsprop}. */
    public static CgdUpdater rmsprop(double lr, double alpha, double epsilon) {
        return of(CgdConfig.rmsprop(lr, alpha, epsilon));
    }

    /** PyTorch's SGD with momentum (dampening 0): {@link CgdConfig#momentum}. */
    public static CgdUpdater momentum(double lr, double mu) {
        return of(CgdConfig.momentum(lr, mu));
    }

    /** Plain SGD: {@link CgdConfig#sgd}. */
    public static CgdUpdater sgd(double lr) {
        return of(CgdConfig.sgd(lr));
    }

    private static void validate(CgdConfig config) {
        Objects.requireNonNull(config, "config must not be null");
        if (config.structure() != Structure.DIAGONAL && config.nonFinitePolicy() == NonFinitePolicy.SKIP) {
            throw new IllegalArgumentException("NonFinitePolicy SKIP with structure " + config.structure() + ": DL4J counts"
                    + " every iteration as a step, a skipped one too; use THROW or PROPAGATE");
        }
        if (config.weightDecay() != 0) {
            throw new IllegalArgumentException("weightDecay = " + config.weightDecay() + ": DL4J applies decoupled weight"
                    + " decay itself; set it to 0 here and add .weightDecay(" + config.weightDecay() + ") to the layer or"
                    + " network builder (with this updater's learning rate: PyTorch's AdamW)");
        }
        if (config.l2() != 0) {
            throw new IllegalArgumentException("l2 = " + config.l2() + ": DL4J applies L2 itself; set it to 0 here and add"
                    + " .l2(" + config.l2() + ") to the layer or network builder");
        }
    }

    // ---- the config and its use ----

    /** The cgd4j config this updater describes (the current learning rate). */
    public CgdConfig config() {
        // From SGD (metric NONE accepts any power and ε), the metric, then the structure: validated with every value in place.
        return CgdConfig.sgd(learningRate).withTau1(tau1).withTau2(tau2).withPower(power).withEpsilon(epsilon)
                .withEpsilonOutside(epsilonOutside).withDebias(debias).withCovarianceMean(covarianceMean)
                .withNonFinitePolicy(nonFinitePolicy).withRefreshEvery(refreshEvery).withWarmupSteps(warmupSteps)
                .withBlockSize(blockSize).withStaggerRefresh(staggerRefresh).withThreads(threads).withMetric(metric)
                .withStructure(structure).withRefreshMode(refreshMode);
    }

    /** The structure: DIAGONAL runs {@link CgdGradientUpdater}, FULL and KRONECKER {@link StructuredGradientUpdater}. */
    public Structure structure() { return structure; }

    /** The layer this updater is bound to, or null ({@link #bindLayers}). */
    public String layer() { return layer; }

    /** The bound layer's tensors (name and shape in the order of DL4J's flat views), or null when unbound. */
    ParamLayout boundTensors() {
        return paramShapes == null ? null : LayerTensors.parse(paramShapes);
    }

    /** This updater bound to {@code layer}'s tensors (FULL and KRONECKER: they need the shapes). */
    CgdUpdater boundTo(String layer, ParamLayout tensors) {
        Objects.requireNonNull(layer, "layer must not be null");
        return new CgdUpdater(learningRate, learningRateSchedule == null ? null : learningRateSchedule.clone(), tau1, tau2,
                power, epsilon, epsilonOutside, metric, debias, covarianceMean, nonFinitePolicy, biasCorrection, structure,
                refreshEvery, refreshMode, warmupSteps, blockSize, staggerRefresh, threads, layer, LayerTensors.encode(tensors));
    }

    // ---- binding FULL and KRONECKER updaters to their layers' shapes ----

    /**
     * Binds every FULL or KRONECKER CgdUpdater of {@code net}'s layers to its layer's parameter table
     * (call after {@code init()}, before the first {@code fit}); returns how many were bound. DIAGONAL
     * updaters and bound ones are left as they are.
     */
    public static int bindLayers(MultiLayerNetwork net) {
        Objects.requireNonNull(net, "net must not be null");
        if (net.getLayers() == null) {
            throw new IllegalStateException("the network has no layers yet: call net.init() before bindLayers");
        }
        int bound = 0;
        for (int i = 0; i < net.getnLayers(); i++) {
            Layer layer = net.getLayer(i);
            String name = layer.conf().getLayer().getLayerName() != null ? layer.conf().getLayer().getLayerName() : "layer" + i;
            bound += LayerTensors.bind(layer, name, net.getLayerWiseConfigurations().getConf(i));
        }
        return bound;
    }

    /** As {@link #bindLayers(MultiLayerNetwork)} for a graph's layers (named by their vertex names). */
    public static int bindLayers(ComputationGraph graph) {
        Objects.requireNonNull(graph, "graph must not be null");
        if (graph.getLayers() == null) {
            throw new IllegalStateException("the graph has no layers yet: call graph.init() before bindLayers");
        }
        int bound = 0;
        for (Layer layer : graph.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            var vertex = graph.getConfiguration().getVertices().get(name);
            var conf = vertex instanceof org.deeplearning4j.nn.conf.graph.LayerVertex lv ? lv.getLayerConf() : null;
            bound += LayerTensors.bind(layer, name, conf);
        }
        return bound;
    }

    /** Where the bias corrections go. */
    public BiasCorrection biasCorrection() { return biasCorrection; }

    /** The learning-rate schedule, or null. */
    public ISchedule learningRateSchedule() { return learningRateSchedule; }

    /**
     * DIAGONAL: slices × numParams. FULL, KRONECKER: the state elements of the bound layer's tensor of
     * {@code numParams} elements ({@link StructuredUpdate#stateBytes} in doubles / 8; a float network's
     * float state has as many elements); refused, with the advice to call {@link #bindLayers}, when this
     * updater is not bound.
     */
    @Override
    public long stateSize(long numParams) {
        if (structure == Structure.DIAGONAL) {
            return org.cgd4j.engine.DiagonalUpdate.ofDoubles(config(), numParams).stateElements();
        }
        Map<Long, Long> sizes = stateSizes;
        if (sizes == null) {
            sizes = stateSizes = new java.util.concurrent.ConcurrentHashMap<>();
        }
        return sizes.computeIfAbsent(numParams, n -> StructuredUpdate.stateBytes(config(), tensorOfSize(n)) / Double.BYTES);
    }

    /** The bound layer's tensor of {@code size} elements, as a one-tensor layout. */
    ParamLayout tensorOfSize(long size) {
        ParamLayout tensors = boundTensors();
        if (tensors == null) {
            throw new IllegalStateException("CgdUpdater with structure " + structure + " needs its layer's parameter shapes,"
                    + " which DL4J does not pass to updaters: call CgdUpdater.bindLayers(net) after net.init() and before fit");
        }
        for (ParamLayout.Tensor t : tensors.tensors()) {
            if (t.size() == size) {
                return ParamLayout.builder().tensor(t.name(), t.shape()).build();
            }
        }
        throw new IllegalStateException("this CgdUpdater is bound to layer '" + layer + "' " + tensors.tensors()
                + ", which has no parameter of " + size + " elements");
    }

    @Override
    public GradientUpdater<CgdUpdater> instantiate(INDArray viewArray, boolean initializeViewArray) {
        if (structure != Structure.DIAGONAL) {
            StructuredGradientUpdater updater = new StructuredGradientUpdater(this);
            updater.setStateViewArray(viewArray, viewArray == null ? new long[0] : viewArray.shape(), 'c', initializeViewArray);
            return updater;
        }
        CgdGradientUpdater updater = new CgdGradientUpdater(this);
        updater.setStateViewArray(viewArray, viewArray == null ? new long[0] : viewArray.shape(), 'c', initializeViewArray);
        return updater;
    }

    @Override
    public GradientUpdater<CgdUpdater> instantiate(Map<String, INDArray> updaterState, boolean initializeStateArrays) {
        if (structure != Structure.DIAGONAL) {
            throw new UnsupportedOperationException("structure " + structure + " needs its layer's shapes, which named state"
                    + " maps (SameDiff) do not carry; use it on a MultiLayerNetwork or ComputationGraph with bindLayers");
        }
        CgdGradientUpdater updater = new CgdGradientUpdater(this);
        updater.setState(updaterState, initializeStateArrays);
        return updater;
    }

    @Override
    public double getLearningRate(int iteration, int epoch) {
        return learningRateSchedule != null ? learningRateSchedule.valueAt(iteration, epoch) : learningRate;
    }

    @Override
    public boolean hasLearningRate() { return true; }

    /** DL4J's network-wide learning-rate changes: a new base rate and schedule (null for none). */
    @Override
    public void setLrAndSchedule(double lr, ISchedule schedule) {
        CgdConfig changed = config().withLearningRate(lr); // validates lr
        this.learningRate = changed.learningRate();
        this.learningRateSchedule = schedule;
    }

    @Override
    public CgdUpdater clone() {
        return new CgdUpdater(learningRate, learningRateSchedule == null ? null : learningRateSchedule.clone(), tau1, tau2,
                power, epsilon, epsilonOutside, metric, debias, covarianceMean, nonFinitePolicy, biasCorrection, structure,
                refreshEvery, refreshMode, warmupSteps, blockSize, staggerRefresh, threads, layer, paramShapes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CgdUpdater u
                && Double.compare(learningRate, u.learningRate) == 0
                && Objects.equals(learningRateSchedule, u.learningRateSchedule)
                && Double.compare(tau1, u.tau1) == 0 && Double.compare(tau2, u.tau2) == 0
                && Double.compare(power, u.power) == 0 && Double.compare(epsilon, u.epsilon) == 0
                && Double.compare(epsilonOutside, u.epsilonOutside) == 0
                && metric == u.metric && debias == u.debias && covarianceMean == u.covarianceMean
                && nonFinitePolicy == u.nonFinitePolicy && biasCorrection == u.biasCorrection
                && structure == u.structure && refreshEvery == u.refreshEvery && refreshMode == u.refreshMode
                && warmupSteps == u.warmupSteps && blockSize == u.blockSize && staggerRefresh == u.staggerRefresh
                && threads == u.threads && Objects.equals(layer, u.layer) && Objects.equals(paramShapes, u.paramShapes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(learningRate, learningRateSchedule, tau1, tau2, power, epsilon, epsilonOutside, metric, debias,
                covarianceMean, nonFinitePolicy, biasCorrection, structure, refreshEvery, refreshMode, warmupSteps, blockSize,
                staggerRefresh, threads, layer, paramShapes);
    }

    @Override
    public String toString() {
        return "CgdUpdater[" + config() + ", biasCorrection = " + biasCorrection
                + (learningRateSchedule != null ? ", schedule = " + learningRateSchedule : "")
                + (layer != null ? ", layer = " + layer + " " + paramShapes : "") + "]";
    }
}
