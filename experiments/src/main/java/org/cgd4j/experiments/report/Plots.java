package org.cgd4j.experiments.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cgd4j.experiments.problem.Rosenbrock;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The PNG figures of {@code cgd4j reproduce}, drawn with XChart (headless). Values a log axis cannot
 * show (≤ 0, NaN, ∞) become gaps.
 */
public final class Plots {
    private static final int WIDTH = 1000;
    private static final int HEIGHT = 640;
    /** Colour per optimizer slot, the same in every figure. */
    private static final Color[] PALETTE = {
        new Color(0x7f7f7f), new Color(0x8c564b), new Color(0x17becf), new Color(0x1f77b4),
        new Color(0x2ca02c), new Color(0xff7f0e), new Color(0xd62728), new Color(0x9467bd), new Color(0xe377c2)};

    private Plots() {}

    /** A named curve. */
    public record Curve(String name, double[] x, double[] y) {}

    /** Loss against step, log y axis; one line per curve. */
    public static void lossCurves(Path file, String title, List<Curve> curves) throws IOException {
        XYChart chart = chart(title, "step", "loss (log scale)");
        chart.getStyler().setYAxisLogarithmic(true);
        // a diverging run climbs to 1e300 before it overflows: cap the axis at 100× the worst start
        double ceiling = 0;
        for (Curve c : curves) {
            for (double v : c.y()) {
                if (Double.isFinite(v) && v > 0) {
                    ceiling = Math.max(ceiling, 100 * v);
                    break;
                }
            }
        }
        double floor = Double.POSITIVE_INFINITY;
        int i = 0;
        for (Curve c : curves) {
            double[] y = positiveOrGap(c.y());
            for (int k = 0; k < y.length; k++) {
                if (y[k] > ceiling) {
                    y[k] = Double.NaN;
                } else if (y[k] > 0) {
                    floor = Math.min(floor, y[k]);
                }
            }
            line(chart, c.name(), c.x(), y, PALETTE[i++ % PALETTE.length], 2f);
        }
        if (ceiling > 0 && Double.isFinite(floor)) {
            chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(floor))))
                    .setYAxisMax(Math.pow(10, Math.ceil(Math.log10(ceiling))));
        }
        save(chart, file);
    }

    /**
     * Axes of {@link #lines}: titles, a log or linear y axis and its range (NaN: automatic; values
     * outside the range become gaps).
     */
    public record Axes(String x, String y, boolean logY, double yMin, double yMax) {}

    /**
     * One line per curve, coloured by its palette slot (the same optimizer keeps its colour across
     * figures), with an optional dashed horizontal reference line ({@code levelName} null: none).
     */
    public static void lines(Path file, String title, Axes axes, List<Curve> curves, int[] slots, String levelName,
                             double level) throws IOException {
        if (slots.length != curves.size()) {
            throw new IllegalArgumentException(curves.size() + " curves need as many palette slots, got " + slots.length);
        }
        XYChart chart = chart(title, axes.x(), axes.y());
        chart.getStyler().setYAxisLogarithmic(axes.logY());
        if (!Double.isNaN(axes.yMin())) {
            chart.getStyler().setYAxisMin(axes.yMin());
        }
        if (!Double.isNaN(axes.yMax())) {
            chart.getStyler().setYAxisMax(axes.yMax());
        }
        double xMax = 0;
        for (int i = 0; i < curves.size(); i++) {
            Curve c = curves.get(i);
            double[] y = axes.logY() ? positiveOrGap(c.y()) : c.y().clone();
            for (int k = 0; k < y.length; k++) {
                if (!Double.isFinite(y[k]) || y[k] < axes.yMin() || y[k] > axes.yMax()) {
                    y[k] = Double.NaN;
                }
            }
            double[][] kept = dropNaNx(c.x(), y);
            for (double x : kept[0]) {
                xMax = Math.max(xMax, x);
            }
            line(chart, c.name(), kept[0], kept[1], PALETTE[slots[i] % PALETTE.length], 2f);
        }
        if (levelName != null && Double.isFinite(level) && xMax > 0) {
            XYSeries s = line(chart, levelName, new double[] {0, xMax}, new double[] {level, level}, Color.BLACK, 1f);
            s.setLineStyle(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        }
        save(chart, file);
    }

    /** Paths on the Rosenbrock landscape with its level sets (grey), the start and the minimum. */
    public static void rosenbrockTrajectories(Path file, String title, List<Curve> paths) throws IOException {
        XYChart chart = chart(title, "x", "y");
        double xMin = Rosenbrock.X_MIN, xMax = Rosenbrock.X_MAX, yMin = Rosenbrock.Y_MIN, yMax = Rosenbrock.Y_MAX;
        chart.getStyler().setXAxisMin(xMin).setXAxisMax(xMax).setYAxisMin(yMin).setYAxisMax(yMax);
        int k = 0;
        for (double level : new double[] {0.1, 0.5, 2, 8, 30, 100, 300, 1000, 2500}) {
            double[][] set = Contours.levelSet(Rosenbrock::value, xMin, xMax, yMin, yMax, 160, level);
            if (set[0].length == 0) {
                continue;
            }
            XYSeries s = line(chart, "H = " + level + "#" + k++, set[0], set[1], new Color(0xc8c8c8), 1f);
            s.setShowInLegend(false);
        }
        int i = 0;
        for (Curve p : paths) {
            double[][] clipped = clip(p.x(), p.y(), xMin, xMax, yMin, yMax);
            if (clipped[0].length > 0) {
                line(chart, p.name(), clipped[0], clipped[1], PALETTE[i % PALETTE.length], 1.6f);
            }
            i++;
        }
        XYSeries start = chart.addSeries("start (−1.5, 2)", new double[] {Rosenbrock.START_X}, new double[] {Rosenbrock.START_Y});
        start.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        start.setMarker(SeriesMarkers.SQUARE);
        start.setMarkerColor(Color.BLACK);
        XYSeries min = chart.addSeries("minimum (1, 1)", new double[] {1}, new double[] {1});
        min.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        min.setMarker(SeriesMarkers.DIAMOND);
        min.setMarkerColor(Color.BLACK);
        save(chart, file);
    }

    /** Eigenvalues of X̂, largest first, against their rank; one line per snapshot step. */
    public static void spectrum(Path file, String title, Map<Integer, double[]> eigenvaluesByStep) throws IOException {
        XYChart chart = chart(title, "rank of eigenvalue (largest first)", "eigenvalue of covariance (log scale)");
        chart.getStyler().setYAxisLogarithmic(true);
        int n = eigenvaluesByStep.size();
        int i = 0;
        for (Map.Entry<Integer, double[]> e : eigenvaluesByStep.entrySet()) {
            double[] ev = e.getValue();
            double[] x = new double[ev.length];
            double[] y = new double[ev.length];
            for (int r = 0; r < ev.length; r++) {
                x[r] = r + 1;
                y[r] = ev[ev.length - 1 - r];
            }
            // early steps light, late steps dark: the concentration reads left to right in time
            float shade = n == 1 ? 0f : (float) i / (n - 1);
            Color c = new Color(0.85f * (1 - shade), 0.45f * (1 - shade), 0.2f + 0.6f * shade);
            line(chart, "step " + e.getKey(), x, positiveOrGap(y), c, 2f);
            i++;
        }
        save(chart, file);
    }

    /**
     * Effective dimension (Σλ)²/Σλ² against step (log x axis). Curves with the same group share a
     * colour and one legend entry (the group's first curve names it).
     */
    public static void effectiveDimension(Path file, String title, List<Curve> curves, List<Integer> groups)
            throws IOException {
        XYChart chart = chart(title, "step (log scale)", "effective dimension (Σλ)²/Σλ²");
        chart.getStyler().setXAxisLogarithmic(true);
        Color[] colours = {new Color(0xd62728), new Color(0x1f77b4), new Color(0x2ca02c), new Color(0x9467bd)};
        int previous = -1;
        for (int i = 0; i < curves.size(); i++) {
            Curve c = curves.get(i);
            double[] x = c.x().clone();
            double[] y = c.y().clone();
            for (int k = 0; k < x.length; k++) {
                if (!(x[k] > 0) || !Double.isFinite(y[k]) || y[k] <= 0) {
                    x[k] = Double.NaN;
                    y[k] = Double.NaN;
                }
            }
            double[][] kept = dropNaNx(x, y);
            int g = groups.get(i);
            XYSeries s = line(chart, c.name(), kept[0], kept[1], colours[g % colours.length], 1.6f);
            s.setShowInLegend(g != previous);
            previous = g;
        }
        save(chart, file);
    }

    private static XYChart chart(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesColor(new Color(0xe6e6e6));
        chart.getStyler().setMarkerSize(7);
        chart.getStyler().setAntiAlias(true);
        return chart;
    }

    private static XYSeries line(XYChart chart, String name, double[] x, double[] y, Color color, float width) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(color);
        s.setLineStyle(new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        return s;
    }

    private static void save(XYChart chart, Path file) throws IOException {
        String name = file.toString();
        if (!name.endsWith(".png")) {
            throw new IllegalArgumentException("plot file must end in .png: " + file);
        }
        BitmapEncoder.saveBitmap(chart, name.substring(0, name.length() - 4), BitmapEncoder.BitmapFormat.PNG);
    }

    /** Values a log axis cannot show become NaN (a gap). */
    static double[] positiveOrGap(double[] y) {
        double[] out = y.clone();
        for (int i = 0; i < out.length; i++) {
            if (!(out[i] > 0) || !Double.isFinite(out[i])) {
                out[i] = Double.NaN;
            }
        }
        return out;
    }

    /** Points outside the box become NaN breaks, so lines do not leave the plot area. */
    static double[][] clip(double[] x, double[] y, double xMin, double xMax, double yMin, double yMax) {
        double[] cx = x.clone();
        double[] cy = y.clone();
        for (int i = 0; i < cx.length; i++) {
            if (!(cx[i] >= xMin && cx[i] <= xMax && cy[i] >= yMin && cy[i] <= yMax)) {
                cx[i] = Double.NaN;
                cy[i] = Double.NaN;
            }
        }
        return new double[][] {cx, cy};
    }

    /** Log-x charts reject NaN x values: drop those points (the curve simply joins its neighbours). */
    private static double[][] dropNaNx(double[] x, double[] y) {
        int n = 0;
        for (double v : x) {
            if (!Double.isNaN(v)) {
                n++;
            }
        }
        double[] ox = new double[n];
        double[] oy = new double[n];
        int k = 0;
        for (int i = 0; i < x.length; i++) {
            if (!Double.isNaN(x[i])) {
                ox[k] = x[i];
                oy[k++] = y[i];
            }
        }
        return new double[][] {ox, oy};
    }
}
