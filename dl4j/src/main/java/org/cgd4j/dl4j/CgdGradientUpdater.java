package org.cgd4j.dl4j;

import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.DiagonalUpdate;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.GradientUpdater;

/**
 * The per-block updater DL4J runs: {@link #applyUpdater} turns the block's gradient view, in place,
 * into the update DL4J then subtracts from the parameters, through {@code MemorySegment}s over ND4J's
 * off-heap buffers ({@link DiagonalUpdate}, no copy); the state is DL4J's updater-state view (so
 * {@code ModelSerializer} saves it) in the layout {@link DiagonalUpdate} documents (−m, then s or b,
 * then −μ, n elements each); the step is t = iteration + 1, DL4J's iteration count (0 before the
 * first step), so a restored network continues Adam's bias correction where it stopped.
 *
 * <p>Views must be contiguous (element-wise stride 1) and FLOAT or DOUBLE; anything else is refused
 * with a message, never copied. Not thread-safe (DL4J runs a network's blocks one at a time).
 */
final class CgdGradientUpdater implements GradientUpdater<CgdUpdater> {
    private final CgdUpdater config;
    /** The kernels' config: debias off when the corrections go into the step size. */
    private final CgdConfig kernelConfig;
    private final boolean stepSizeCorrection;
    private final double beta1, beta2, power;
    private final int slices;

    private INDArray stateView;
    private MemorySegment state;
    private DiagonalUpdate update;
    /** The last gradient view's segment, reused while DL4J hands over the same buffer (no allocation per step). */
    private long gradientAddress;
    private MemorySegment gradient;

    CgdGradientUpdater(CgdUpdater config) {
        this.config = config;
        CgdConfig c = config.config();
        this.stepSizeCorrection = config.biasCorrection() == CgdUpdater.BiasCorrection.STEP_SIZE;
        this.kernelConfig = stepSizeCorrection ? c.withDebias(false) : c;
        this.beta1 = c.beta1();
        this.beta2 = c.beta2();
        this.power = c.power();
        this.slices = DiagonalUpdate.ofDoubles(kernelConfig, 0).stateSlices();
    }

    @Override
    public CgdUpdater getConfig() { return config; }

    /**
     * Takes {@code viewArray} (the block's slice of the network's updater state: {@link #slices} × n
     * elements) as this updater's state, zeroed when {@code initialize}. The gradient's shape and
     * order do not matter: the step is element-wise over the contiguous buffer.
     */
    @Override
    public void setStateViewArray(INDArray viewArray, long[] gradientShape, char gradientOrder, boolean initialize) {
        if (slices == 0) { // SGD keeps no state; DL4J may pass null or an empty view
            stateView = viewArray;
            state = MemorySegment.NULL;
            return;
        }
        Objects.requireNonNull(viewArray, "the updater state view must not be null (this updater keeps state)");
        requireFloatOrDouble("updater state view", viewArray);
        if (viewArray.length() % slices != 0) {
            throw new IllegalArgumentException("the updater state view has " + viewArray.length() + " elements, not a"
                    + " multiple of the " + slices + " state slices per parameter");
        }
        if (initialize) {
            viewArray.assign(0);
        }
        this.state = segment("updater state view", viewArray);
        this.stateView = viewArray;
        this.update = null; // rebuilt for this view's size and type at the next step
    }

    @Override
    public void applyUpdater(INDArray gradientView, int iteration, int epoch) {
        Objects.requireNonNull(gradientView, "gradient must not be null");
        if (iteration < 0) {
            throw new IllegalArgumentException("iteration must be >= 0, got " + iteration);
        }
        if (state == null) {
            throw new IllegalStateException("no updater state view: DL4J calls setStateViewArray before the first step");
        }
        requireFloatOrDouble("gradient", gradientView);
        DiagonalUpdate u = updateFor(gradientView);
        MemorySegment g = gradientSegment(gradientView, u.size());
        long t = iteration + 1L;
        double factor = config.getLearningRate(iteration, epoch) / kernelConfig.learningRate();
        if (stepSizeCorrection) {
            factor *= stepSizeCorrection(t);
        }
        u.update(t, factor, g, state);
    }

    /** ND4J's folded bias correction c2^a / c1, with c = 1 − β^t as ND4J computes it. */
    private double stepSizeCorrection(long t) {
        double c1 = 1 - Math.pow(beta1, t);
        double c2 = 1 - Math.pow(beta2, t);
        double c2a = power == 0.5 ? Math.sqrt(c2) : Math.pow(c2, power);
        return c2a / c1;
    }

    private DiagonalUpdate updateFor(INDArray gradientView) {
        boolean single = gradientView.dataType() == DataType.FLOAT;
        long n = gradientView.length();
        if (update == null || update.size() != n || update.singlePrecision() != single) {
            if (slices > 0 && stateView.dataType() != gradientView.dataType()) {
                throw new IllegalArgumentException("the gradient is " + gradientView.dataType() + " but the updater state is "
                        + stateView.dataType());
            }
            if (slices > 0 && stateView.length() != slices * n) {
                throw new IllegalArgumentException("the gradient has " + n + " elements, so the updater state needs "
                        + slices * n + ", but the view has " + stateView.length());
            }
            update = single ? DiagonalUpdate.ofFloats(kernelConfig, n) : DiagonalUpdate.ofDoubles(kernelConfig, n);
        }
        return update;
    }

    @SuppressWarnings("restricted") // ND4J's buffer: n elements of its type at its data pointer
    private MemorySegment gradientSegment(INDArray gradientView, long n) {
        requireContiguous("gradient", gradientView);
        long address = gradientView.data().addressPointer().address();
        long bytes = n * gradientView.dataType().width();
        if (gradient == null || address != gradientAddress || gradient.byteSize() != bytes) {
            gradient = MemorySegment.ofAddress(address).reinterpret(bytes);
            gradientAddress = address;
        }
        return gradient;
    }

    /** A segment over the array's elements in ND4J's off-heap buffer (its data pointer includes the view's offset). */
    @SuppressWarnings("restricted")
    static MemorySegment segment(String name, INDArray array) {
        requireContiguous(name, array);
        long bytes = array.length() * array.dataType().width();
        return MemorySegment.ofAddress(array.data().addressPointer().address()).reinterpret(bytes);
    }

    static void requireContiguous(String name, INDArray array) {
        if (array.length() > 1 && array.elementWiseStride() != 1) {
            throw new IllegalArgumentException("the " + name + " is not contiguous (element-wise stride "
                    + array.elementWiseStride() + ", shape " + java.util.Arrays.toString(array.shape()) + "): cgd4j steps in"
                    + " place on ND4J's buffer and never copies");
        }
    }

    private static void requireFloatOrDouble(String name, INDArray array) {
        DataType type = array.dataType();
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException("the " + name + " is " + type + ": CgdUpdater steps FLOAT and DOUBLE"
                    + " networks only");
        }
    }

    // ---- named state (SameDiff's updater-state maps) ----

    private List<String> sliceNames() {
        String second = kernelConfig.metric() == org.cgd4j.engine.Metric.BELIEF ? "B" : "S";
        return List.of("negM", second, "negMu").subList(0, slices);
    }

    /** The state as named views of the one state view: negM (−m), S or B, negMu (−μ), as the op keeps them. */
    @Override
    public Map<String, INDArray> getState() {
        Map<String, INDArray> out = new LinkedHashMap<>();
        if (slices == 0 || stateView == null) {
            return out;
        }
        long n = stateView.length() / slices;
        List<String> names = sliceNames();
        for (int k = 0; k < slices; k++) {
            out.put(names.get(k), stateView.get(NDArrayIndex.interval(k * n, (k + 1) * n)));
        }
        return out;
    }

    /**
     * Takes named state arrays (as {@link #getState()} names them), copied once into one contiguous
     * state array that the steps then update in place; zeroed when {@code initialize}.
     */
    @Override
    public void setState(Map<String, INDArray> stateMap, boolean initialize) {
        Objects.requireNonNull(stateMap, "state must not be null");
        if (slices == 0) {
            setStateViewArray(null, null, 'c', false);
            return;
        }
        List<String> names = sliceNames();
        INDArray first = stateMap.get(names.getFirst());
        if (first == null || !stateMap.keySet().containsAll(names)) {
            throw new IllegalArgumentException("state needs the arrays " + names + ", got " + stateMap.keySet());
        }
        long n = first.length();
        INDArray all = Nd4j.create(first.dataType(), slices * n);
        for (int k = 0; k < slices; k++) {
            INDArray part = stateMap.get(names.get(k));
            if (part.length() != n) {
                throw new IllegalArgumentException("state array " + names.get(k) + " has " + part.length()
                        + " elements, " + names.getFirst() + " has " + n);
            }
            all.get(NDArrayIndex.interval(k * n, (k + 1) * n)).assign(part.reshape(n));
        }
        setStateViewArray(all, new long[] {n}, 'c', initialize);
    }
}
