package org.cgd4j.benchmarks.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Log-log PNG plots of time per operation against d, one line per series (XChart, headless). */
final class Plots {
    private Plots() {}

    /** A named line: x values (d) and y values (ns); NaN points are skipped. */
    record Series(String name, List<Double> x, List<Double> y) {}

    static Series series(String name, List<String> xs, java.util.function.DoubleUnaryOperator nanosAt) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (String value : xs) {
            double d = Double.parseDouble(value);
            double t = nanosAt.applyAsDouble(d);
            if (Double.isFinite(t) && t > 0) {
                x.add(d);
                y.add(t);
            }
        }
        return new Series(name, x, y);
    }

    /** Writes {@code file} (PNG); returns false and writes nothing when no series has a point. */
    static boolean write(Path file, String title, String xTitle, String yTitle, List<Series> series)
            throws IOException {
        Map<String, Series> nonEmpty = new LinkedHashMap<>();
        for (Series s : series) {
            if (!s.x().isEmpty()) {
                nonEmpty.put(s.name(), s);
            }
        }
        if (nonEmpty.isEmpty()) {
            return false;
        }
        XYChart chart = new XYChartBuilder().width(900).height(560).title(title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setMarkerSize(7);
        for (Series s : nonEmpty.values()) {
            chart.addSeries(s.name(), s.x(), s.y()).setMarker(SeriesMarkers.CIRCLE);
        }
        String name = file.toString();
        BitmapEncoder.saveBitmap(chart, name.endsWith(".png") ? name.substring(0, name.length() - 4) : name,
                BitmapEncoder.BitmapFormat.PNG);
        return true;
    }
}
