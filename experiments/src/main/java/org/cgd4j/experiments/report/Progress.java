package org.cgd4j.experiments.report;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A terminal progress bar for a known number of work items, safe to advance from worker threads.
 * On a console it redraws one line at most every 200 ms; otherwise (a pipe, a log) it prints a line
 * every 10 %, so logs stay readable.
 */
public final class Progress implements AutoCloseable {
    private static final int WIDTH = 30;
    private final String label;
    private final long total;
    private final PrintStream out;
    private final boolean enabled;
    private final boolean console;
    private final long start = System.nanoTime();
    private final AtomicLong done = new AtomicLong();
    private long lastDraw;
    private long lastDecile = -1;

    public Progress(String label, long total, PrintStream out, boolean enabled) {
        this.label = label;
        this.total = Math.max(1, total);
        this.out = out;
        this.enabled = enabled;
        this.console = System.console() != null;
    }

    /** Marks one item done. */
    public void step() {
        long d = done.incrementAndGet();
        if (enabled) {
            draw(d, false);
        }
    }

    private synchronized void draw(long d, boolean last) {
        long now = System.nanoTime();
        if (console) {
            if (!last && d < total && now - lastDraw < 200_000_000L) {
                return;
            }
            lastDraw = now;
            out.print("\r" + line(d, now));
            if (last) {
                out.println();
            }
            out.flush();
        } else {
            long decile = d * 10 / total;
            if (decile != lastDecile && (decile > lastDecile || last)) {
                lastDecile = decile;
                out.println(line(d, now));
            }
        }
    }

    private String line(long d, long now) {
        int filled = (int) (WIDTH * Math.min(d, total) / total);
        double elapsed = (now - start) / 1e9;
        double eta = d == 0 ? Double.NaN : elapsed * (total - d) / d;
        return String.format("%-14s [%s%s] %3d%% %d/%d  %s elapsed, %s left", label, "#".repeat(filled),
                ".".repeat(WIDTH - filled), 100 * d / total, d, total, clock(elapsed), clock(eta));
    }

    private static String clock(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "--:--";
        }
        long s = Math.round(seconds);
        return String.format("%02d:%02d", s / 60, s % 60);
    }

    @Override
    public void close() {
        if (enabled) {
            draw(done.get(), true);
        }
    }
}
