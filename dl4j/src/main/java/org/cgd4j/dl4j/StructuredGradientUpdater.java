package org.cgd4j.dl4j;

import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.ParamLayout;
import org.cgd4j.engine.StructuredUpdate;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;

/**
 * The per-block updater of a FULL or KRONECKER {@link CgdUpdater}: DL4J's block is a run of one
 * bound layer's tensors (weights and biases when they share the updater), found from the state
 * view's size and checked against the gradient's. {@link #applyUpdater} runs the engine's
 * {@link StructuredUpdate} on the gradient view in place (through a {@code MemorySegment} over ND4J's
 * buffer, no copy); the updater-state view is the state of record: read (and checked) at a step when
 * DL4J changed it (ModelSerializer's restore assigns it), written after every step, so DL4J saves
 * the whole optimizer state as it is.
 *
 * <p>KRONECKER runs float and double networks (the engine's float state and arithmetic for float),
 * FULL double networks only (its metric is double); views must be contiguous. The engine's memory
 * is freed when this updater becomes unreachable (DL4J has no close for updaters) or replaced.
 */
final class StructuredGradientUpdater implements GradientUpdater<CgdUpdater> {
    private static final Cleaner CLEANER = Cleaner.create();

    private final CgdUpdater config;
    private final CgdConfig engineConfig;
    private INDArray stateView;
    private StructuredUpdate update;
    private Cleaner.Cleanable cleanable;
    private long gradientAddress;
    private MemorySegment gradient;

    StructuredGradientUpdater(CgdUpdater config) {
        this.config = config;
        this.engineConfig = config.config();
    }

    @Override
    public CgdUpdater getConfig() { return config; }

    @Override
    public void setStateViewArray(INDArray viewArray, long[] gradientShape, char gradientOrder, boolean initialize) {
        Objects.requireNonNull(viewArray, "the updater state view must not be null (structure " + config.structure()
                + " keeps state)");
        boolean single = requireType("updater state view", viewArray);
        ParamLayout block = blockFor(viewArray.length());
        MemorySegment state = CgdGradientUpdater.segment("updater state view", viewArray);
        if (initialize || update == null || !update.layout().equals(block) || update.singlePrecision() != single) {
            replace(single ? StructuredUpdate.ofFloats(engineConfig, block) : StructuredUpdate.ofDoubles(engineConfig, block));
        }
        if (initialize) {
            update.initializeState(state);
        } else {
            update.attachState(state);
        }
        this.stateView = viewArray;
    }

    private void replace(StructuredUpdate next) {
        if (cleanable != null) {
            cleanable.clean();
        }
        update = next;
        cleanable = CLEANER.register(this, next::close);
    }

    /** The run of the bound layer's tensors whose state fills {@code stateElements}; refused when none or ambiguous. */
    private ParamLayout blockFor(long stateElements) {
        ParamLayout tensors = config.boundTensors();
        if (tensors == null) {
            config.tensorOfSize(0); // throws the advice to bind
        }
        List<ParamLayout.Tensor> all = tensors.tensors();
        long[] state = new long[all.size()];
        for (int i = 0; i < state.length; i++) {
            state[i] = config.stateSize(all.get(i).size());
        }
        List<ParamLayout> matches = new ArrayList<>();
        for (int from = 0; from < all.size(); from++) {
            long sum = 0;
            ParamLayout.Builder run = ParamLayout.builder();
            for (int to = from; to < all.size(); to++) {
                sum += state[to];
                run.tensor(all.get(to).name(), all.get(to).shape());
                if (sum == stateElements) {
                    matches.add(run.build());
                }
            }
        }
        if (matches.isEmpty()) {
            throw new IllegalArgumentException("an updater state view of " + stateElements + " elements fits no run of layer '"
                    + config.layer() + "' " + all + " (state per tensor " + java.util.Arrays.toString(state) + ")");
        }
        if (matches.size() > 1) {
            throw new IllegalArgumentException("an updater state view of " + stateElements + " elements fits several runs of"
                    + " layer '" + config.layer() + "': " + matches + "; give the biases their own updater");
        }
        return matches.getFirst();
    }

    @Override
    public void applyUpdater(INDArray gradientView, int iteration, int epoch) {
        Objects.requireNonNull(gradientView, "gradient must not be null");
        if (iteration < 0) {
            throw new IllegalArgumentException("iteration must be >= 0, got " + iteration);
        }
        if (update == null) {
            throw new IllegalStateException("no updater state view: DL4J calls setStateViewArray before the first step");
        }
        if (requireType("gradient", gradientView) != update.singlePrecision()) {
            throw new IllegalArgumentException("the gradient is " + gradientView.dataType() + " but the updater state is "
                    + stateView.dataType());
        }
        if (gradientView.length() != update.size()) {
            throw new IllegalArgumentException("the gradient has " + gradientView.length() + " elements, but this block of layer '"
                    + config.layer() + "' is " + update.layout().tensors() + " (" + update.size() + ")");
        }
        update.update(iteration + 1L, config.getLearningRate(iteration, epoch) / engineConfig.learningRate(),
                gradientSegment(gradientView));
    }

    @SuppressWarnings("restricted") // ND4J's buffer: n elements at its data pointer (the view's offset included)
    private MemorySegment gradientSegment(INDArray gradientView) {
        CgdGradientUpdater.requireContiguous("gradient", gradientView);
        long address = gradientView.data().addressPointer().address();
        long bytes = gradientView.length() * gradientView.dataType().width();
        if (gradient == null || address != gradientAddress || gradient.byteSize() != bytes) {
            gradient = MemorySegment.ofAddress(address).reinterpret(bytes);
            gradientAddress = address;
        }
        return gradient;
    }

    /** True for FLOAT, false for DOUBLE; anything else, or FLOAT for FULL, is refused. */
    private boolean requireType(String name, INDArray array) {
        DataType type = array.dataType();
        if (type == DataType.DOUBLE) {
            return false;
        }
        if (type == DataType.FLOAT && config.structure() != org.cgd4j.engine.Structure.FULL) {
            return true;
        }
        throw new IllegalArgumentException("the " + name + " is " + type + ": structure " + config.structure() + " runs "
                + (config.structure() == org.cgd4j.engine.Structure.FULL
                        ? "DOUBLE networks only (its metric is double): .dataType(DataType.DOUBLE)"
                        : "FLOAT and DOUBLE networks"));
    }

    /** The whole state as one array, "state" (the engine's committed slices, in its checkpoint order). */
    @Override
    public Map<String, INDArray> getState() {
        Map<String, INDArray> out = new LinkedHashMap<>();
        if (stateView != null) {
            out.put("state", stateView);
        }
        return out;
    }

    @Override
    public void setState(Map<String, INDArray> stateMap, boolean initialize) {
        throw new UnsupportedOperationException("structure " + config.structure() + " needs its layer's shapes, which named"
                + " state maps (SameDiff) do not carry");
    }
}
