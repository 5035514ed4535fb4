package org.cgd4j.experiments.report;

import java.util.Arrays;

/** Summary statistics over seeds. Non-finite values (diverged runs) propagate as they should. */
public final class Stats {
    private Stats() {}

    public static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return v.length == 0 ? Double.NaN : s / v.length;
    }

    /** Sample standard deviation (n − 1); 0 for a single value. */
    public static double std(double[] v) {
        if (v.length < 2) {
            return v.length == 1 && Double.isFinite(v[0]) ? 0 : Double.NaN;
        }
        double m = mean(v);
        if (!Double.isFinite(m)) {
            return Double.NaN;
        }
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / (v.length - 1));
    }

    /** Median; +∞ sorts last, so a minority of diverged runs does not hide the typical one. */
    public static double median(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] == s[n / 2] ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]));
    }
}
