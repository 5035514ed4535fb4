package org.cgd4j.benchmarks.report;

import java.util.Locale;

/** Number formatting for the Markdown report; NaN (not measured) prints as an em dash. */
final class Format {
    static final String MISSING = "—";

    private Format() {}

    /** A duration given in ns, in the unit that keeps 3 significant digits readable. */
    static String time(double nanos) {
        if (!Double.isFinite(nanos)) {
            return MISSING;
        }
        if (nanos < 1e3) {
            return String.format(Locale.ROOT, "%.0f ns", nanos);
        }
        if (nanos < 1e6) {
            return String.format(Locale.ROOT, "%.3g µs", nanos / 1e3);
        }
        if (nanos < 1e9) {
            return String.format(Locale.ROOT, "%.3g ms", nanos / 1e6);
        }
        return String.format(Locale.ROOT, "%.3g s", nanos / 1e9);
    }

    /**
     * A duration with JMH's 99.9% error as a share of it, e.g. "7.61 ms ±3%" (the error bar of one
     * fork's measurement iterations; nothing when JMH gave none).
     */
    static String time(double nanos, double errorNanos) {
        if (!Double.isFinite(nanos) || !Double.isFinite(errorNanos) || nanos <= 0) {
            return time(nanos);
        }
        double share = 100 * errorNanos / nanos;
        return time(nanos) + (share < 1 ? String.format(Locale.ROOT, " ±%.1f%%", share)
                : String.format(Locale.ROOT, " ±%.0f%%", share));
    }

    /** A ratio such as a speed-up, e.g. "12.3×". */
    static String ratio(double r) {
        if (!Double.isFinite(r)) {
            return MISSING;
        }
        return r >= 100 ? String.format(Locale.ROOT, "%.0f×", r) : String.format(Locale.ROOT, "%.3g×", r);
    }

    static String percent(double fraction) {
        return Double.isFinite(fraction) ? String.format(Locale.ROOT, "%.0f%%", 100 * fraction) : MISSING;
    }

    /** Bytes per operation from gc.alloc.rate.norm. */
    static String bytes(double b) {
        if (!Double.isFinite(b)) {
            return MISSING;
        }
        if (b < 0.005) {
            return "0";
        }
        return b < 10 ? String.format(Locale.ROOT, "%.2f", b) : String.format(Locale.ROOT, "%,.0f", b);
    }

    /** GB/s from bytes moved and ns. */
    static String bandwidth(double bytes, double nanos) {
        return Double.isFinite(nanos) ? String.format(Locale.ROOT, "%.1f GB/s", bytes / nanos) : MISSING;
    }

    /** d as written in the issue: 1e2 … 1e7 for powers of ten, else the integer. */
    static String dimension(String d) {
        long value = Long.parseLong(d);
        long p = 1;
        for (int e = 0; e <= 18; e++, p *= 10) {
            if (p == value && e >= 2) {
                return "1e" + e;
            }
        }
        return d;
    }
}
