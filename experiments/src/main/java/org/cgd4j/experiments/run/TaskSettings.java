package org.cgd4j.experiments.run;

/**
 * Sizes of the tasks.
 *
 * @param starts       Rosenbrock: random starts averaged per seed
 * @param layers       multiplication: MLP layer widths, input 2 and output 1
 * @param batch        multiplication and digits: mini-batch size
 * @param heldOut      multiplication: size of the fixed held-out set the loss is reported on
 * @param digitsLayers digits: classifier layer widths, input 64 and output 10
 */
public record TaskSettings(int starts, int[] layers, int batch, int heldOut, int[] digitsLayers) {
    /** The defaults: 64 starts; MLP 2 → 16 → 1, batch 32, 1024 held-out samples; digits 64 → 128 → 128 → 10. */
    public static TaskSettings defaults() {
        return new TaskSettings(64, new int[] {2, 16, 1}, 32, 1024, DigitsTask.DEFAULT_LAYERS.clone());
    }

    public TaskSettings {
        layers = layers.clone();
        digitsLayers = digitsLayers.clone();
    }

    @Override
    public int[] layers() {
        return layers.clone();
    }

    @Override
    public int[] digitsLayers() {
        return digitsLayers.clone();
    }
}
