package org.cgd4j.experiments.run;

/**
 * Sizes of the tasks.
 *
 * @param starts  Rosenbrock: random starts averaged per seed
 * @param layers  multiplication: MLP layer widths, input 2 and output 1
 * @param batch   multiplication: mini-batch size drawn fresh every step
 * @param heldOut multiplication: size of the fixed held-out set the loss is reported on
 */
public record TaskSettings(int starts, int[] layers, int batch, int heldOut) {
    /** The paper-sized defaults: 64 starts; MLP 2 → 16 → 1, batch 32, 1024 held-out samples. */
    public static TaskSettings defaults() {
        return new TaskSettings(64, new int[] {2, 16, 1}, 32, 1024);
    }

    public TaskSettings {
        layers = layers.clone();
    }

    @Override
    public int[] layers() {
        return layers.clone();
    }
}
