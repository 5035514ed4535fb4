package org.cgd4j.experiments.problem;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A fully connected network with tanh hidden layers and a linear output, trained on the mean
 * squared error, with hand-written backpropagation.
 *
 * <p>Parameter layout, layer by layer: the weight matrix W (out × in, row-major) then the bias b
 * (out). Sizes {2, 16, 1} give 16·2 + 16 + 16 + 1 = 65 parameters, the paper's multiplication
 * network. An instance owns per-sample work buffers, so it is confined to one thread; the loops
 * allocate nothing.
 */
public final class Mlp {
    private final int[] sizes;
    private final int[] weightOffset;
    private final int[] biasOffset;
    private final int parameterCount;
    /** activations[l] = output of layer l (l = 0 is the input); pre-activations are not kept: tanh' = 1 − a². */
    private final double[][] activations;
    private final double[][] deltas;

    /** @param sizes layer widths from input to output, at least two, each ≥ 1 */
    public Mlp(int... sizes) {
        if (sizes.length < 2) {
            throw new IllegalArgumentException("an MLP needs at least an input and an output layer, got sizes "
                    + Arrays.toString(sizes));
        }
        for (int s : sizes) {
            if (s < 1) {
                throw new IllegalArgumentException("layer sizes must be >= 1, got " + Arrays.toString(sizes));
            }
        }
        this.sizes = sizes.clone();
        int layers = sizes.length - 1;
        weightOffset = new int[layers];
        biasOffset = new int[layers];
        int offset = 0;
        for (int l = 0; l < layers; l++) {
            weightOffset[l] = offset;
            offset += sizes[l] * sizes[l + 1];
            biasOffset[l] = offset;
            offset += sizes[l + 1];
        }
        parameterCount = offset;
        activations = new double[sizes.length][];
        deltas = new double[sizes.length][];
        for (int l = 0; l < sizes.length; l++) {
            activations[l] = new double[sizes[l]];
            deltas[l] = new double[sizes[l]];
        }
    }

    /** Number of trainable parameters. */
    public int parameterCount() { return parameterCount; }

    /** Layer widths, input first (a copy). */
    public int[] sizes() { return sizes.clone(); }

    public int inputSize() { return sizes[0]; }

    /**
     * The tensors of the parameter vector, layer by layer: "w1" (out × in), "b1" (out), "w2", … at the
     * offsets the network uses, so that a KRONECKER optimizer can precondition each weight matrix.
     */
    public org.cgd4j.engine.ParamLayout layout() {
        org.cgd4j.engine.ParamLayout.Builder b = org.cgd4j.engine.ParamLayout.builder();
        for (int l = 0; l < sizes.length - 1; l++) {
            b.matrix("w" + (l + 1), sizes[l + 1], sizes[l]).vector("b" + (l + 1), sizes[l + 1]);
        }
        return b.build();
    }

    public int outputSize() { return sizes[sizes.length - 1]; }

    /** Glorot-uniform weights (U(±√(6/(in+out)))), zero biases. */
    public void initialize(double[] params, SplittableRandom rng) {
        requireParams(params);
        for (int l = 0; l < sizes.length - 1; l++) {
            int in = sizes[l];
            int out = sizes[l + 1];
            double limit = Math.sqrt(6.0 / (in + out));
            for (int i = 0; i < in * out; i++) {
                params[weightOffset[l] + i] = rng.nextDouble(-limit, limit);
            }
            Arrays.fill(params, biasOffset[l], biasOffset[l] + out, 0.0);
        }
    }

    /**
     * Mean squared error over {@code n} samples, (1/n) Σ_s ‖y(x_s) − t_s‖², and, when {@code grad}
     * is not null, its gradient with respect to the parameters.
     *
     * @param inputs  n × inputSize, row-major
     * @param targets n × outputSize, row-major
     */
    public double loss(double[] params, double[] inputs, double[] targets, int n, double[] grad) {
        requireParams(params);
        if (n < 1 || inputs.length < n * inputSize() || targets.length < n * outputSize()) {
            throw new IllegalArgumentException("need n >= 1 samples with " + inputSize() + " inputs and "
                    + outputSize() + " targets each, got n = " + n + ", " + inputs.length + " inputs, "
                    + targets.length + " targets");
        }
        if (grad != null) {
            requireParams(grad);
            Arrays.fill(grad, 0.0);
        }
        int last = sizes.length - 1;
        int outSize = outputSize();
        double sum = 0;
        double scale = 2.0 / n;
        for (int s = 0; s < n; s++) {
            System.arraycopy(inputs, s * inputSize(), activations[0], 0, inputSize());
            forward(params);
            double[] y = activations[last];
            double[] dOut = deltas[last];
            for (int o = 0; o < outSize; o++) {
                double e = y[o] - targets[s * outSize + o];
                sum += e * e;
                dOut[o] = scale * e;
            }
            if (grad != null) {
                backward(params, grad);
            }
        }
        return sum / n;
    }

    private void forward(double[] params) {
        int last = sizes.length - 1;
        for (int l = 0; l < last; l++) {
            int in = sizes[l];
            int out = sizes[l + 1];
            double[] a = activations[l];
            double[] z = activations[l + 1];
            int w = weightOffset[l];
            int b = biasOffset[l];
            for (int o = 0; o < out; o++) {
                double acc = params[b + o];
                int row = w + o * in;
                for (int i = 0; i < in; i++) {
                    acc += params[row + i] * a[i];
                }
                z[o] = l + 1 == last ? acc : Math.tanh(acc);
            }
        }
    }

    /** Accumulates ∂loss/∂params for the current sample; deltas[last] already holds ∂loss/∂y. */
    private void backward(double[] params, double[] grad) {
        for (int l = sizes.length - 2; l >= 0; l--) {
            int in = sizes[l];
            int out = sizes[l + 1];
            double[] a = activations[l];
            double[] dz = deltas[l + 1];
            double[] da = deltas[l];
            int w = weightOffset[l];
            int b = biasOffset[l];
            if (l > 0) {
                Arrays.fill(da, 0.0);
            }
            for (int o = 0; o < out; o++) {
                double d = dz[o];
                grad[b + o] += d;
                int row = w + o * in;
                for (int i = 0; i < in; i++) {
                    grad[row + i] += d * a[i];
                    if (l > 0) {
                        da[i] += d * params[row + i];
                    }
                }
            }
            if (l > 0) {
                for (int i = 0; i < in; i++) {
                    da[i] *= 1 - a[i] * a[i]; // tanh'(z) = 1 − tanh(z)²
                }
            }
        }
    }

    private void requireParams(double[] array) {
        if (array.length != parameterCount) {
            throw new IllegalArgumentException("expected " + parameterCount + " parameters for sizes "
                    + Arrays.toString(sizes) + ", got " + array.length);
        }
    }
}
