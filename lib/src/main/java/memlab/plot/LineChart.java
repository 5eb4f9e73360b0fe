package memlab.plot;

import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A line chart of {@code y} against a numeric {@code x}, one line per value of an optional series
 * column, e.g. loss against step, one line per learning rate.
 *
 * <p>With {@link #meanOver(String, Band)} the rows of each series are several runs (seeds): the
 * chart draws, at every {@code x}, the mean over the runs that have a finite value there, and a
 * shaded band (min–max or mean ± standard deviation).
 *
 * <pre>{@code
 * Plot p = LineChart.of(recorder.table(), "step", "loss").series("lr").meanOver("run", Band.STD).logY().plot();
 * }</pre>
 */
public final class LineChart {
    /** The shaded band drawn around a mean line. */
    public enum Band {
        /** No band: the mean line alone. */
        NONE,
        /** From the smallest to the largest value over the runs. */
        MIN_MAX,
        /** Mean ± the standard deviation over the runs (population form, divided by n). */
        STD
    }

    /** Opacity of a band's fill. */
    static final double BAND_ALPHA = 0.2;

    private final Table table;
    private final String x;
    private final String y;
    private String series;
    private String runs;
    private Band band = Band.NONE;
    private boolean logY;
    private String title;
    private final Map<String, String> colors = new LinkedHashMap<>();

    private LineChart(Table table, String x, String y) {
        this.table = table;
        this.x = x;
        this.y = y;
        Columns.numeric(table, x);
        Columns.numeric(table, y);
    }

    /** A chart of column {@code y} against column {@code x} (both numeric) of {@code table}. */
    public static LineChart of(Table table, String x, String y) {
        return new LineChart(table, x, y);
    }

    /**
     * One line per distinct value of column {@code column}, named by that value ({@code column=value}
     * when the column is numeric, e.g. {@code lr=0.01}).
     */
    public LineChart series(String column) {
        Columns.get(table, column);
        this.series = column;
        return this;
    }

    /**
     * Treats the rows of each series as runs told apart by column {@code runColumn}: draws the mean
     * over runs and the given band.
     */
    public LineChart meanOver(String runColumn, Band band) {
        Columns.get(table, runColumn);
        this.runs = runColumn;
        this.band = band;
        return this;
    }

    /** A logarithmic y axis (band edges that are not positive are left out). */
    public LineChart logY() {
        this.logY = true;
        return this;
    }

    /** The chart's title. */
    public LineChart title(String title) {
        this.title = title;
        return this;
    }

    /** Colour {@code #rrggbb} for the series of value {@code seriesValue} (others take the palette). */
    public LineChart color(String seriesValue, String hex) {
        Colors.translucent(hex, 1); // validates
        colors.put(seriesValue, hex);
        return this;
    }

    /** The chart. */
    public Plot plot() {
        NumericColumn<?> xs = Columns.numeric(table, x);
        NumericColumn<?> ys = Columns.numeric(table, y);
        Column<?> groups = series == null ? null : table.column(series);
        List<String> names = groups == null ? List.of(y) : Columns.levels(groups);
        List<Map<String, Object>> traces = new ArrayList<>();
        for (int s = 0; s < names.size(); s++) {
            String value = names.get(s);
            String name = groups instanceof NumericColumn<?> ? series + "=" + value : value;
            String color = colors.getOrDefault(value, Colors.nth(s));
            TreeMap<Double, List<Double>> byX = new TreeMap<>();
            List<double[]> points = new ArrayList<>();
            for (int i = 0; i < table.rowCount(); i++) {
                if (groups != null && !groups.getString(i).equals(value)) continue;
                double xv = xs.getDouble(i), yv = ys.getDouble(i);
                if (runs == null) points.add(new double[]{xv, yv});
                else if (Double.isFinite(yv)) byX.computeIfAbsent(xv, k -> new ArrayList<>()).add(yv);
            }
            if (runs == null) {
                points.sort((a, b) -> Double.compare(a[0], b[0]));
                traces.add(line(name, color, points.stream().mapToDouble(p -> p[0]).toArray(),
                        points.stream().mapToDouble(p -> p[1]).toArray()));
            } else {
                Summary sum = Summary.of(byX, band, logY);
                if (band != Band.NONE) traces.addAll(band(name, color, sum));
                traces.add(line(name, color, sum.x, sum.mean));
            }
        }
        Map<String, Object> yAxis = Plot.axis(y, logY);
        if (logY) yAxis.put("exponentformat", "power");
        return new Plot(title, traces, Plot.axis(x, false), yAxis);
    }

    private static Map<String, Object> line(String name, String color, double[] x, double[] y) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("type", "scatter");
        t.put("mode", "lines");
        t.put("name", name);
        t.put("legendgroup", name);
        t.put("x", x);
        t.put("y", y);
        t.put("line", Map.of("color", color, "width", 2));
        return t;
    }

    /** The lower edge, then the upper edge filled down to the lower one. */
    private static List<Map<String, Object>> band(String name, String color, Summary s) {
        Map<String, Object> lower = line(name, color, s.x, s.lower);
        Map<String, Object> upper = line(name, color, s.x, s.upper);
        for (Map<String, Object> t : List.of(lower, upper)) {
            t.put("line", Map.of("color", color, "width", 0));
            t.put("showlegend", false);
            t.put("hoverinfo", "skip");
        }
        upper.put("fill", "tonexty");
        upper.put("fillcolor", Colors.translucent(color, BAND_ALPHA));
        return List.of(lower, upper);
    }

    /** Mean and band edges per x. */
    record Summary(double[] x, double[] mean, double[] lower, double[] upper) {
        static Summary of(TreeMap<Double, List<Double>> byX, Band band, boolean positiveOnly) {
            int n = byX.size(), i = 0;
            double[] x = new double[n], mean = new double[n], lo = new double[n], hi = new double[n];
            for (Map.Entry<Double, List<Double>> e : byX.entrySet()) {
                List<Double> v = e.getValue();
                double m = v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
                double var = v.stream().mapToDouble(d -> (d - m) * (d - m)).sum() / v.size();
                x[i] = e.getKey();
                mean[i] = m;
                switch (band) {
                    case MIN_MAX -> {
                        lo[i] = v.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
                        hi[i] = v.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
                    }
                    case STD -> {
                        lo[i] = m - Math.sqrt(var);
                        hi[i] = m + Math.sqrt(var);
                    }
                    case NONE -> lo[i] = hi[i] = m;
                }
                if (positiveOnly && lo[i] <= 0) lo[i] = Double.NaN;
                i++;
            }
            return new Summary(x, mean, lo, hi);
        }
    }
}
