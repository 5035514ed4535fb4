package org.cgd4j.experiments.report;

import java.util.function.DoubleBinaryOperator;

/**
 * Level sets of a function of two variables by marching squares, as polylines separated by NaN
 * (a plotting library draws them as one series with gaps). XChart has no contour plot.
 */
public final class Contours {
    private Contours() {}

    /** Points of the level set f = level: {xs, ys}, each segment followed by a NaN break. */
    public static double[][] levelSet(DoubleBinaryOperator f, double xMin, double xMax, double yMin, double yMax,
                                      int cells, double level) {
        if (cells < 1) {
            throw new IllegalArgumentException("cells must be >= 1, got " + cells);
        }
        double dx = (xMax - xMin) / cells;
        double dy = (yMax - yMin) / cells;
        double[][] v = new double[cells + 1][cells + 1];
        for (int i = 0; i <= cells; i++) {
            for (int j = 0; j <= cells; j++) {
                v[i][j] = f.applyAsDouble(xMin + i * dx, yMin + j * dy);
            }
        }
        DoubleList xs = new DoubleList();
        DoubleList ys = new DoubleList();
        double[] px = new double[4];
        double[] py = new double[4];
        for (int i = 0; i < cells; i++) {
            for (int j = 0; j < cells; j++) {
                // corners counter-clockwise: (i,j) (i+1,j) (i+1,j+1) (i,j+1); edges between consecutive corners
                double[] c = {v[i][j], v[i + 1][j], v[i + 1][j + 1], v[i][j + 1]};
                double[] cx = {xMin + i * dx, xMin + (i + 1) * dx, xMin + (i + 1) * dx, xMin + i * dx};
                double[] cy = {yMin + j * dy, yMin + j * dy, yMin + (j + 1) * dy, yMin + (j + 1) * dy};
                int n = 0;
                for (int e = 0; e < 4; e++) {
                    int a = e;
                    int b = (e + 1) % 4;
                    boolean ina = c[a] < level;
                    boolean inb = c[b] < level;
                    if (ina != inb) {
                        double s = (level - c[a]) / (c[b] - c[a]);
                        px[n] = cx[a] + s * (cx[b] - cx[a]);
                        py[n] = cy[a] + s * (cy[b] - cy[a]);
                        n++;
                    }
                }
                // 2 crossings: one segment; 4 (saddle): pair them in edge order, a consistent choice
                for (int k = 0; k + 1 < n; k += 2) {
                    xs.add(px[k]);
                    ys.add(py[k]);
                    xs.add(px[k + 1]);
                    ys.add(py[k + 1]);
                    xs.add(Double.NaN);
                    ys.add(Double.NaN);
                }
            }
        }
        return new double[][] {xs.toArray(), ys.toArray()};
    }

    /** A growable double array. */
    static final class DoubleList {
        private double[] a = new double[256];
        private int n;

        void add(double x) {
            if (n == a.length) {
                a = java.util.Arrays.copyOf(a, 2 * n);
            }
            a[n++] = x;
        }

        double[] toArray() {
            return java.util.Arrays.copyOf(a, n);
        }
    }
}
