package org.cgd4j.experiments.problem;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.cgd4j.engine.ParamLayout;

/**
 * A classifier: fully connected ReLU layers and a softmax output, trained on the mean cross-entropy,
 * with hand-written batched backpropagation in double precision.
 *
 * <p>Parameters are one flat vector laid out as the tensors of {@link #layout()}: per layer l = 1, 2,
 * … the weight matrix {@code wl} (out × in, row-major, PyTorch's {@code nn.Linear} layout) then the
 * bias {@code bl} (out). Sizes {64, 128, 128, 10} give 26 122 parameters.
 *
 * <p>Cost per sample: about 3 multiply-adds per weight (forward, the weight gradient, the input
 * gradient), all as unit-stride a·x + y loops that the JIT vectorises; rows of zero inputs and
 * units that ReLU switched off are skipped. An instance owns its work buffers for up to
 * {@code maxRows} samples per call, so it is confined to one thread; the loops allocate nothing.
 */
public final class SoftmaxMlp {
    /** The loss and the fraction of correctly classified samples of a set. */
    public record Evaluation(double loss, double accuracy) {}

    private final int[] sizes;
    private final int layers;
    private final int maxRows;
    private final ParamLayout layout;
    private final int[] weightOffset;
    private final int[] biasOffset;
    /** act[l], l = 1..layers: maxRows × sizes[l] outputs of layer l (logits for the last); the input is the caller's. */
    private final double[][] act;
    /** delta[l]: ∂loss/∂(pre-activation of layer l), same shape as act[l]. */
    private final double[][] delta;
    /** wt[l]: the weights of layer l + 1 transposed (in × out), so that the forward pass is a·x + y in the output index. */
    private final double[][] transposed;
    /** forward's sums: Σ cross-entropy and correct predictions. */
    private final double[] sums = new double[2];

    /**
     * @param maxRows the most samples one call may pass (≥ 1): the size of the work buffers
     * @param sizes   layer widths from input to output, at least two, each ≥ 1; the output has ≥ 2 classes
     */
    public SoftmaxMlp(int maxRows, int... sizes) {
        if (sizes.length < 2) {
            throw new IllegalArgumentException("a classifier needs at least an input and an output layer, got sizes "
                    + Arrays.toString(sizes));
        }
        for (int s : sizes) {
            if (s < 1) {
                throw new IllegalArgumentException("layer sizes must be >= 1, got " + Arrays.toString(sizes));
            }
        }
        if (sizes[sizes.length - 1] < 2) {
            throw new IllegalArgumentException("a softmax output needs at least 2 classes, got sizes " + Arrays.toString(sizes));
        }
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows must be >= 1, got " + maxRows);
        }
        this.sizes = sizes.clone();
        this.layers = sizes.length - 1;
        this.maxRows = maxRows;
        ParamLayout.Builder b = ParamLayout.builder();
        for (int l = 1; l <= layers; l++) {
            b.matrix("w" + l, sizes[l], sizes[l - 1]).vector("b" + l, sizes[l]);
        }
        layout = b.build();
        weightOffset = new int[layers];
        biasOffset = new int[layers];
        act = new double[layers + 1][];
        delta = new double[layers + 1][];
        transposed = new double[layers][];
        for (int l = 0; l < layers; l++) {
            weightOffset[l] = layout.tensor("w" + (l + 1)).offset();
            biasOffset[l] = layout.tensor("b" + (l + 1)).offset();
            transposed[l] = new double[sizes[l] * sizes[l + 1]];
            act[l + 1] = new double[maxRows * sizes[l + 1]];
            delta[l + 1] = new double[maxRows * sizes[l + 1]];
        }
    }

    /** The tensors of the parameter vector: w1, b1, w2, b2, … */
    public ParamLayout layout() { return layout; }

    public int parameterCount() { return layout.dimension(); }

    /** Layer widths, input first (a copy). */
    public int[] sizes() { return sizes.clone(); }

    public int inputSize() { return sizes[0]; }

    public int classes() { return sizes[layers]; }

    public int maxRows() { return maxRows; }

    /** PyTorch's {@code nn.Linear} default: weights and biases U(±1/√in). */
    public void initialize(double[] params, SplittableRandom rng) {
        requireParams(params, "params");
        for (int l = 0; l < layers; l++) {
            int in = sizes[l];
            int out = sizes[l + 1];
            double limit = 1 / Math.sqrt(in);
            for (int i = 0; i < in * out; i++) {
                params[weightOffset[l] + i] = rng.nextDouble(-limit, limit);
            }
            for (int o = 0; o < out; o++) {
                params[biasOffset[l] + o] = rng.nextDouble(-limit, limit);
            }
        }
    }

    /**
     * Mean cross-entropy over {@code n} samples, −(1/n) Σ_s log softmax(z(x_s))_{y_s}, and, when
     * {@code grad} is not null, its gradient with respect to the parameters (overwritten).
     *
     * @param inputs n × inputSize features, row-major
     * @param labels n class indices in [0, classes)
     * @param n      1 ≤ n ≤ maxRows
     */
    public double loss(double[] params, double[] inputs, int[] labels, int n, double[] grad) {
        requireParams(params, "params");
        requireRows(inputs, labels, 0, n);
        if (n > maxRows) {
            throw new IllegalArgumentException("n = " + n + " samples exceed this network's maxRows = " + maxRows);
        }
        if (grad != null) {
            requireParams(grad, "grad");
        }
        forward(params, inputs, labels, 0, n, grad != null);
        if (grad != null) {
            backward(params, inputs, n, grad);
        }
        return sums[0] / n;
    }

    /** Mean cross-entropy and accuracy over all {@code n} samples, in chunks of at most maxRows. */
    public Evaluation evaluate(double[] params, double[] inputs, int[] labels, int n) {
        requireParams(params, "params");
        requireRows(inputs, labels, 0, n);
        double loss = 0;
        double correct = 0;
        for (int first = 0; first < n; first += maxRows) {
            forward(params, inputs, labels, first, Math.min(maxRows, n - first), false);
            loss += sums[0];
            correct += sums[1];
        }
        return new Evaluation(loss / n, correct / n);
    }

    /**
     * Forward pass over rows first..first+n−1; sums[0] = Σ cross-entropy, sums[1] = correct
     * predictions; with {@code keepDelta}, delta[layers] = ∂(mean loss)/∂logits.
     */
    private void forward(double[] params, double[] inputs, int[] labels, int first, int n, boolean keepDelta) {
        double[] a = inputs;
        int aOffset = first * sizes[0];
        for (int l = 0; l < layers; l++) {
            int in = sizes[l];
            int out = sizes[l + 1];
            double[] t = transposed[l];
            int w = weightOffset[l];
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    t[i * out + o] = params[w + o * in + i];
                }
            }
            double[] z = act[l + 1];
            int b = biasOffset[l];
            boolean hidden = l + 1 < layers;
            for (int s = 0; s < n; s++) {
                int zr = s * out;
                System.arraycopy(params, b, z, zr, out);
                int ar = aOffset + s * in;
                for (int i = 0; i < in; i++) {
                    double x = a[ar + i];
                    if (x == 0) {
                        continue; // blank pixels and switched-off units: about half of all inputs
                    }
                    int tr = i * out;
                    for (int o = 0; o < out; o++) {
                        z[zr + o] += x * t[tr + o];
                    }
                }
                if (hidden) {
                    for (int o = 0; o < out; o++) {
                        z[zr + o] = Math.max(0, z[zr + o]); // ReLU; NaN stays NaN
                    }
                }
            }
            a = z;
            aOffset = 0;
        }
        int k = classes();
        double[] z = act[layers];
        double[] d = delta[layers];
        double loss = 0;
        int correct = 0;
        for (int s = 0; s < n; s++) {
            int r = s * k;
            int label = labels[first + s];
            double max = z[r];
            int best = 0;
            for (int o = 1; o < k; o++) {
                if (z[r + o] > max) {
                    max = z[r + o];
                    best = o;
                }
            }
            double sum = 0;
            for (int o = 0; o < k; o++) {
                sum += Math.exp(z[r + o] - max);
            }
            loss += max + Math.log(sum) - z[r + label];
            correct += best == label ? 1 : 0;
            if (keepDelta) {
                for (int o = 0; o < k; o++) {
                    d[r + o] = (Math.exp(z[r + o] - max) / sum - (o == label ? 1 : 0)) / n;
                }
            }
        }
        sums[0] = loss;
        sums[1] = correct;
    }

    /** Backpropagates delta[layers] (set by forward over rows 0..n−1) into grad. */
    private void backward(double[] params, double[] inputs, int n, double[] grad) {
        Arrays.fill(grad, 0.0);
        for (int l = layers - 1; l >= 0; l--) {
            int in = sizes[l];
            int out = sizes[l + 1];
            double[] a = l == 0 ? inputs : act[l];
            double[] dz = delta[l + 1];
            int w = weightOffset[l];
            int b = biasOffset[l];
            for (int s = 0; s < n; s++) {
                int zr = s * out;
                int ar = s * in;
                for (int o = 0; o < out; o++) {
                    double g = dz[zr + o];
                    if (g == 0) {
                        continue; // a unit ReLU switched off passes no gradient
                    }
                    grad[b + o] += g;
                    int row = w + o * in;
                    for (int i = 0; i < in; i++) {
                        grad[row + i] += g * a[ar + i];
                    }
                }
            }
            if (l == 0) {
                break;
            }
            double[] da = delta[l];
            Arrays.fill(da, 0, n * in, 0.0);
            for (int s = 0; s < n; s++) {
                int zr = s * out;
                int ar = s * in;
                for (int o = 0; o < out; o++) {
                    double g = dz[zr + o];
                    if (g == 0) {
                        continue;
                    }
                    int row = w + o * in;
                    for (int i = 0; i < in; i++) {
                        da[ar + i] += g * params[row + i];
                    }
                }
                for (int i = 0; i < in; i++) {
                    if (!(a[ar + i] > 0)) {
                        da[ar + i] = 0; // ReLU'(z) = 1 where the unit is on, else 0
                    }
                }
            }
        }
    }

    private void requireParams(double[] array, String name) {
        if (array.length != parameterCount()) {
            throw new IllegalArgumentException("expected " + parameterCount() + " values in " + name + " for sizes "
                    + Arrays.toString(sizes) + ", got " + array.length);
        }
    }

    private void requireRows(double[] inputs, int[] labels, int first, int n) {
        if (n < 1 || inputs.length < (first + n) * inputSize() || labels.length < first + n) {
            throw new IllegalArgumentException("need n >= 1 samples with " + inputSize() + " features and a label each, got n = "
                    + n + ", " + inputs.length + " features, " + labels.length + " labels");
        }
        for (int s = first; s < first + n; s++) {
            if (labels[s] < 0 || labels[s] >= classes()) {
                throw new IllegalArgumentException("label " + labels[s] + " of sample " + s + " is outside 0.." + (classes() - 1));
            }
        }
    }
}
