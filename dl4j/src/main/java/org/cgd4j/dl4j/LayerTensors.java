package org.cgd4j.dl4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.cgd4j.engine.ParamLayout;
import org.cgd4j.engine.Structure;
import org.cgd4j.engine.StructuredUpdate;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * A layer's parameter tensors as a FULL or KRONECKER CgdUpdater needs them: names and shapes in the
 * order of DL4J's flat parameter (and gradient) view, each shape row-major over the tensor's elements
 * as they lie in that view (DL4J keeps dense weights in 'f' order: an nIn × nOut 'f' matrix lies as
 * the row-major nOut × nIn matrix, whose Kronecker factors are the same two with sides swapped), and
 * vectors (one dimension above 1) as rank 1. Encoded as "W:10x64,b:10" in the updater's JSON.
 */
final class LayerTensors {
    private LayerTensors() {}

    static String encode(ParamLayout tensors) {
        StringBuilder out = new StringBuilder();
        for (ParamLayout.Tensor t : tensors.tensors()) {
            if (t.name().contains(":") || t.name().contains(",")) {
                throw new IllegalArgumentException("parameter name '" + t.name() + "' contains ':' or ','");
            }
            if (!out.isEmpty()) {
                out.append(',');
            }
            out.append(t.name()).append(':');
            int[] shape = t.shape();
            for (int k = 0; k < shape.length; k++) {
                out.append(k == 0 ? "" : "x").append(shape[k]);
            }
        }
        return out.toString();
    }

    static ParamLayout parse(String encoded) {
        ParamLayout.Builder builder = ParamLayout.builder();
        try {
            for (String entry : encoded.split(",", -1)) {
                int colon = entry.lastIndexOf(':');
                if (colon <= 0) {
                    throw new IllegalArgumentException("entry '" + entry + "' is not name:shape");
                }
                int[] shape = Arrays.stream(entry.substring(colon + 1).split("x", -1)).mapToInt(Integer::parseInt).toArray();
                builder.tensor(entry.substring(0, colon), shape);
            }
            return builder.build();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("paramShapes '" + encoded + "' is not a list of name:AxBx..: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("paramShapes '" + encoded + "': " + e.getMessage(), e);
        }
    }

    /**
     * Replaces {@code layer}'s unbound FULL or KRONECKER CgdUpdaters (weights', biases') by copies
     * bound to the tensors that use them, in the layer's configuration and in {@code alsoIn} (the
     * network configuration's copy, which ModelSerializer saves; may be null or the same); returns how
     * many were bound.
     */
    static int bind(Layer layer, String name, NeuralNetConfiguration alsoIn) {
        if (!(layer.conf().getLayer() instanceof BaseLayer base) || layer.numParams() == 0) {
            return 0;
        }
        BaseLayer other = alsoIn != null && alsoIn.getLayer() instanceof BaseLayer b && b != base ? b : null;
        IUpdater weights = base.getIUpdater();
        IUpdater biases = base.getBiasUpdater();
        int bound = 0;
        if (needsBinding(weights)) {
            CgdUpdater w = ((CgdUpdater) weights).boundTo(name, tensorsUsing(layer, base, weights));
            base.setIUpdater(w);
            if (other != null) {
                other.setIUpdater(w);
            }
            bound++;
        }
        if (biases != weights && needsBinding(biases)) {
            CgdUpdater b = ((CgdUpdater) biases).boundTo(name, tensorsUsing(layer, base, biases));
            base.setBiasUpdater(b);
            if (other != null) {
                other.setBiasUpdater(b);
            }
            bound++;
        }
        return bound;
    }

    private static boolean needsBinding(IUpdater updater) {
        return updater instanceof CgdUpdater u && u.structure() != Structure.DIAGONAL && u.layer() == null;
    }

    /** The tensors of {@code layer} whose updater is {@code updater}, in flat-view order; sizes must tell them apart. */
    private static ParamLayout tensorsUsing(Layer layer, BaseLayer base, IUpdater updater) {
        List<Map.Entry<String, INDArray>> params = new ArrayList<>(layer.paramTable().entrySet());
        params.sort(Comparator.comparingLong(e -> e.getValue().offset()));
        ParamLayout.Builder builder = ParamLayout.builder();
        List<ParamLayout.Tensor> added = new ArrayList<>();
        CgdUpdater cgd = (CgdUpdater) updater;
        for (Map.Entry<String, INDArray> e : params) {
            if (base.getUpdaterByParam(e.getKey()) != updater) {
                continue;
            }
            int[] shape = rowMajorShape(e.getKey(), e.getValue());
            builder.tensor(e.getKey(), shape);
            ParamLayout.Tensor t = ParamLayout.builder().tensor(e.getKey(), shape).build().tensors().getFirst();
            for (ParamLayout.Tensor a : added) {
                // DL4J asks the updater for state by element count alone: equal counts must mean equal state
                if (a.size() == t.size() && stateBytes(cgd, a) != stateBytes(cgd, t)) {
                    throw new IllegalArgumentException("layer '" + layer.conf().getLayer().getLayerName() + "': parameters "
                            + a + " and " + t + " have the same number of elements but different " + cgd.structure()
                            + " state, and DL4J sizes updater state by element count; give the biases their own updater"
                            + " (.biasUpdater(...))");
                }
            }
            added.add(t);
        }
        return builder.build();
    }

    private static long stateBytes(CgdUpdater updater, ParamLayout.Tensor t) {
        return StructuredUpdate.stateBytes(updater.config(), ParamLayout.builder().tensor(t.name(), t.shape()).build());
    }

    /** The parameter's shape as its elements lie in the flat view, row-major; a vector as rank 1. */
    static int[] rowMajorShape(String name, INDArray array) {
        if (array.length() > 1 && array.elementWiseStride() != 1) {
            throw new IllegalArgumentException("parameter '" + name + "' is not contiguous in the flat view (element-wise"
                    + " stride " + array.elementWiseStride() + "): CgdUpdater never copies");
        }
        long[] shape = array.shape();
        long units = Arrays.stream(shape).filter(d -> d > 1).count();
        if (units <= 1) {
            return new int[] {Math.toIntExact(array.length())};
        }
        int[] out = new int[shape.length];
        for (int k = 0; k < shape.length; k++) {
            out[k] = Math.toIntExact(array.ordering() == 'f' ? shape[shape.length - 1 - k] : shape[k]);
        }
        return out;
    }
}
