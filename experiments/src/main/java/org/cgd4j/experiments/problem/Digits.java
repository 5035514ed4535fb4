package org.cgd4j.experiments.problem;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;

/**
 * The UCI handwritten digits (8×8 images, 1797 samples, 10 classes; see
 * {@code resources/data/NOTICE.md}) and their fixed split into training, validation and held-out
 * rows. Pixels 0..16 are scaled to [0, 1].
 *
 * <p>The split is a Fisher–Yates shuffle of the row indices with {@link #SPLIT_SEED}: the last
 * {@link #HELD_OUT} rows of the shuffled order are the held-out set the results are reported on,
 * the {@link #VALIDATION} rows before them the validation set {@code cgd4j tune} scores on (so the
 * reported numbers are not measured on the rows the hyperparameters were picked on), the rest
 * (1197) the training set.
 */
public final class Digits {
    /** The data on the class path (gzipped CSV: 64 pixels, then the label). */
    public static final String RESOURCE = "/data/digits.csv.gz";
    public static final int PIXELS = 64;
    public static final int CLASSES = 10;
    public static final int SAMPLES = 1797;
    public static final int HELD_OUT = 300;
    public static final int VALIDATION = 300;
    /** Seed of the split; fixed, so that every run and every machine sees the same sets. */
    public static final long SPLIT_SEED = 1797L;

    /**
     * Rows of one set: {@code size} samples of {@link #PIXELS} features (row-major) and their labels.
     * Owned by whoever asked for them: every call of {@link #train()} etc. returns new arrays.
     */
    public record Samples(double[] features, int[] labels) {
        public Samples {
            if (features.length != labels.length * PIXELS) {
                throw new IllegalArgumentException(labels.length + " labels need " + labels.length * PIXELS
                        + " features, got " + features.length);
            }
        }

        public int size() { return labels.length; }
    }

    /** Row indices of the three sets, disjoint, together 0..n−1. */
    public record Split(int[] train, int[] validation, int[] heldOut) {}

    private final double[] features;
    private final int[] labels;
    private final Split split;

    private Digits(double[] features, int[] labels) {
        this.features = features;
        this.labels = labels;
        this.split = split(labels.length, SPLIT_SEED, VALIDATION, HELD_OUT);
    }

    /** Reads and checks the data from the class path. */
    public static Digits load() {
        try (InputStream in = Digits.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the digits data " + RESOURCE + " is not on the class path");
            }
            return parse(new GZIPInputStream(in), "classpath:" + RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /**
     * Parses CSV rows of 64 integer pixels in 0..16 and a label in 0..9.
     *
     * @throws IllegalArgumentException naming the source and line of the first bad row, or a wrong
     *         row count
     */
    static Digits parse(InputStream csv, String source) throws IOException {
        double[] x = new double[SAMPLES * PIXELS];
        int[] y = new int[SAMPLES];
        int n = 0;
        BufferedReader r = new BufferedReader(new InputStreamReader(csv, StandardCharsets.US_ASCII));
        for (String line = r.readLine(); line != null; line = r.readLine()) {
            if (line.isBlank()) {
                continue;
            }
            String where = source + " line " + (n + 1);
            if (n == SAMPLES) {
                throw new IllegalArgumentException(where + ": more than " + SAMPLES + " rows");
            }
            String[] f = line.split(",", -1);
            if (f.length != PIXELS + 1) {
                throw new IllegalArgumentException(where + ": expected " + (PIXELS + 1) + " fields, got " + f.length);
            }
            for (int i = 0; i < PIXELS; i++) {
                x[n * PIXELS + i] = integer(f[i], 0, 16, where) / 16.0;
            }
            y[n] = integer(f[PIXELS], 0, CLASSES - 1, where);
            n++;
        }
        if (n != SAMPLES) {
            throw new IllegalArgumentException(source + ": expected " + SAMPLES + " rows, got " + n);
        }
        return new Digits(x, y);
    }

    private static int integer(String s, int min, int max, String where) {
        int v;
        try {
            v = Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": '" + s + "' is not an integer", e);
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException(where + ": " + v + " is outside " + min + ".." + max);
        }
        return v;
    }

    /**
     * A seeded split of rows 0..n−1: shuffled, then the last {@code heldOut} rows held out, the
     * {@code validation} rows before them for validation, the rest for training (each set in
     * shuffled order).
     */
    public static Split split(int n, long seed, int validation, int heldOut) {
        if (validation < 0 || heldOut < 1 || validation + heldOut >= n) {
            throw new IllegalArgumentException("cannot split " + n + " rows into " + validation + " validation, "
                    + heldOut + " held-out and at least one training row");
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int train = n - validation - heldOut;
        return new Split(Arrays.copyOfRange(order, 0, train), Arrays.copyOfRange(order, train, train + validation),
                Arrays.copyOfRange(order, train + validation, n));
    }

    /** The split in use (copies of the index arrays). */
    public Split split() {
        return new Split(split.train().clone(), split.validation().clone(), split.heldOut().clone());
    }

    public Samples train() { return rows(split.train()); }

    public Samples validation() { return rows(split.validation()); }

    public Samples heldOut() { return rows(split.heldOut()); }

    /** Every sample in file order. */
    public Samples all() { return new Samples(features.clone(), labels.clone()); }

    private Samples rows(int[] index) {
        double[] x = new double[index.length * PIXELS];
        int[] y = new int[index.length];
        for (int k = 0; k < index.length; k++) {
            System.arraycopy(features, index[k] * PIXELS, x, k * PIXELS, PIXELS);
            y[k] = labels[index[k]];
        }
        return new Samples(x, y);
    }
}
