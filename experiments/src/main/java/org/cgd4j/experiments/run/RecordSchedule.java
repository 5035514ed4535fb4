package org.cgd4j.experiments.run;

import java.util.TreeSet;

/** The steps at which a run records its loss: dense early (log-spaced), even later (linear). */
public final class RecordSchedule {
    private RecordSchedule() {}

    /**
     * Sorted distinct steps in [0, steps], always containing 0 and {@code steps}: every step up to
     * 10, about {@code points}/2 log-spaced steps and {@code points}/2 evenly spaced ones.
     */
    public static int[] loss(int steps, int points) {
        requireSteps(steps);
        TreeSet<Integer> set = new TreeSet<>();
        for (int t = 0; t <= Math.min(10, steps); t++) {
            set.add(t);
        }
        int half = Math.max(1, points / 2);
        double logMax = Math.log(Math.max(1, steps));
        for (int i = 0; i <= half; i++) {
            set.add((int) Math.round(Math.exp(logMax * i / half)));
            set.add((int) Math.round((double) steps * i / half));
        }
        set.add(steps);
        return toArray(set, steps);
    }

    /** Steps 0, steps/points, 2·steps/points, …, steps (rounded, distinct): even spacing for plots against time. */
    public static int[] even(int steps, int points) {
        requireSteps(steps);
        if (points < 1) {
            throw new IllegalArgumentException("points must be >= 1, got " + points);
        }
        TreeSet<Integer> set = new TreeSet<>();
        for (int i = 0; i <= points; i++) {
            set.add((int) Math.round((double) steps * i / points));
        }
        return toArray(set, steps);
    }

    /** Just the first and the last step. */
    public static int[] endpoints(int steps) {
        requireSteps(steps);
        return steps == 0 ? new int[] {0} : new int[] {0, steps};
    }

    /** Steps 1, 3, 10, 30, 100, … up to {@code steps}, and {@code steps}: where spectra are snapshotted. */
    public static int[] spectrum(int steps) {
        requireSteps(steps);
        TreeSet<Integer> set = new TreeSet<>();
        for (long decade = 1; decade <= steps; decade *= 10) {
            set.add((int) decade);
            if (3 * decade <= steps) {
                set.add((int) (3 * decade));
            }
        }
        if (steps >= 1) {
            set.add(steps);
        }
        return toArray(set, steps);
    }

    private static void requireSteps(int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be >= 0, got " + steps);
        }
    }

    private static int[] toArray(TreeSet<Integer> set, int steps) {
        return set.stream().filter(t -> t >= 0 && t <= steps).mapToInt(Integer::intValue).toArray();
    }
}
