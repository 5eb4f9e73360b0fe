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

    /**
     * Opacity of a band's fill: low, so that where two bands overlap each still shows its own colour
     * (at 0.2 a blue and an orange band mixed into brown).
     */
    static final double BAND_ALPHA = 0.12;
    /** Opacity of a band's edges, thin lines of the series' colour that show where each band ends. */
    static final double EDGE_ALPHA = 0.45;
    /** Dash of the {@code i}-th series, so that coinciding lines stay distinguishable. */
    static final List<String> DASHES = List.of("solid", "dash", "dot", "dashdot", "longdash", "longdashdot");
    /** Marker of the {@code i}-th series, drawn at a few points along its line. */
    static final List<String> MARKERS = List.of("circle", "square", "diamond", "triangle-up", "x", "cross", "star", "pentagon");
    /** Markers drawn along a line at most. */
    static final int MARKERS_PER_LINE = 12;
    /**
     * A numeric x grid counts as log spaced when all its values are positive, it has at least 3 of
     * them, consecutive ratios are at least this, and the largest ratio is at most twice the smallest
     * (in log terms): e.g. 1e-4, 3e-4, 1e-3, 3e-3 or 0.01, 0.1, 1, 10, 100.
     */
    static final double MIN_LOG_STEP = 1.9;

    private final Table table;
    private final String x;
    private final String y;
    private String series;
    private String runs;
    private Band band = Band.NONE;
    private boolean logY;
    private Boolean logX;
    private Boolean legend;
    private String title;
    private String xTitle;
    private String yTitle;
    private double[] yRange;
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
     * One line per distinct value of column {@code column}: named by the column's label and the
     * value when the column is numeric ({@code learning rate 1e-4}), else by the value (a value that
     * is itself a column name, as in a long-format table, by that column's label; a value of a
     * column with a label, by both: {@code link on}).
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

    /**
     * A logarithmic x axis ({@code true}) or a linear one ({@code false}). By default the x axis is
     * logarithmic when the x values form a log-spaced grid (see {@link #MIN_LOG_STEP}).
     */
    public LineChart logX(boolean log) {
        this.logX = log;
        return this;
    }

    /** The chart's title. */
    public LineChart title(String title) {
        this.title = title;
        return this;
    }

    /** Title of the x axis; by default the {@link Labels label} of the x column. */
    public LineChart xTitle(String title) {
        this.xTitle = title;
        return this;
    }

    /** Title of the y axis; by default the {@link Labels label} of the y column. */
    public LineChart yTitle(String title) {
        this.yTitle = title;
        return this;
    }

    /** The y axis range; by default automatic, and 0 to 1 for a column that holds a share ({@link Labels#isShare}). */
    public LineChart yRange(double lo, double hi) {
        if (!(lo < hi)) throw new IllegalArgumentException("yRange needs lo < hi, got " + lo + ", " + hi);
        this.yRange = new double[]{lo, hi};
        return this;
    }

    /** Whether to show a legend; by default only when there are several series. */
    public LineChart legend(boolean show) {
        this.legend = show;
        return this;
    }

    /**
     * Colour {@code #rrggbb} for the series of value {@code seriesValue} (or of that legend name),
     * e.g. to match a paper's colours; others take the palette.
     */
    public LineChart color(String seriesValue, String hex) {
        Colors.translucent(hex, 1); // validates
        colors.put(seriesValue, hex);
        return this;
    }

    /** Colours of several series at once: series value (or legend name) → {@code #rrggbb}. */
    public LineChart colors(Map<String, String> seriesColors) {
        seriesColors.forEach(this::color);
        return this;
    }

    /** The chart. */
    public Plot plot() {
        NumericColumn<?> xs = Columns.numeric(table, x);
        NumericColumn<?> ys = Columns.numeric(table, y);
        Column<?> groups = series == null ? null : table.column(series);
        List<String> values = groups == null ? List.of(y) : Columns.levels(groups);
        boolean many = values.size() > 1;
        List<Map<String, Object>> bands = new ArrayList<>(), lines = new ArrayList<>();
        List<String> usedColors = new ArrayList<>(colors.values());
        int nextPalette = 0;
        for (int s = 0; s < values.size(); s++) {
            String value = values.get(s);
            String name = groups == null ? Labels.of(y) : seriesName(groups, value);
            String color = colors.getOrDefault(value, colors.get(name));
            if (color == null) {   // the next palette colour no pinned series has
                do color = Colors.nth(nextPalette++); while (usedColors.contains(color) && nextPalette < 64);
                usedColors.add(color);
            }
            TreeMap<Double, List<Double>> byX = new TreeMap<>();
            List<double[]> points = new ArrayList<>();
            for (int i = 0; i < table.rowCount(); i++) {
                if (groups != null && !groups.getString(i).equals(value)) continue;
                double xv = xs.getDouble(i), yv = ys.getDouble(i);
                if (runs == null) points.add(new double[]{xv, yv});
                else if (Double.isFinite(yv)) byX.computeIfAbsent(xv, k -> new ArrayList<>()).add(yv);
            }
            Map<String, Object> line;
            if (runs == null) {
                points.sort((a, b) -> Double.compare(a[0], b[0]));
                line = line(name, color, points.stream().mapToDouble(p -> p[0]).toArray(), points.stream().mapToDouble(p -> p[1]).toArray());
            } else {
                Summary sum = Summary.of(byX, band, logY);
                if (band != Band.NONE) bands.addAll(band(name, color, sum));
                line = line(name, color, sum.x, sum.mean);
            }
            if (many) distinguish(line, s, values.size(), color);
            if (!(legend != null ? legend : many)) line.put("showlegend", false);
            lines.add(line);
        }
        // bands under every line, and later (dashed, thinner) lines over earlier (solid, wider) ones
        List<Map<String, Object>> traces = new ArrayList<>(bands);
        traces.addAll(lines);
        Map<String, Object> xAxis = Plot.axis(xTitle != null ? xTitle : Labels.of(x), false);
        double[] grid = distinct(xs);
        if (logX != null ? logX : isLogGrid(grid)) {
            xAxis.put("type", "log");
            if (grid.length <= 12 && isLogGrid(grid)) ticksAt(xAxis, grid);
            else xAxis.put("exponentformat", "power");
        }
        Map<String, Object> yAxis = Plot.axis(yTitle != null ? yTitle : yLabel(values), logY);
        if (logY) logTicks(yAxis, traces);
        double[] range = yRange != null ? yRange : !logY && isShare(values) ? new double[]{-0.02, 1.02} : null;
        if (range != null) yAxis.put("range", List.of(range[0], range[1]));
        List<String> used = new ArrayList<>(List.of(x, y));
        if (series != null) used.add(series);
        if (runs != null) used.add(runs);
        return new Plot(title, traces, xAxis, yAxis, used);
    }

    /** The legend name of a series value. */
    private String seriesName(Column<?> groups, String value) {
        if (groups instanceof NumericColumn<?>) return Labels.of(series) + " " + Format.label(value);
        if (Labels.known(value)) return Labels.of(value);
        // a setting with a name of its own says which: "link on" rather than "on"
        return Labels.known(series) && !Labels.GENERIC.contains(series) ? Labels.of(series) + " " + Format.label(value) : Format.label(value);
    }

    /** The y title: the y column's label; for a long-format column ({@code value}) the labels of the series it holds. */
    private String yLabel(List<String> values) {
        if (Labels.GENERIC.contains(y) && series != null && values.stream().allMatch(Labels::known))
            return String.join(" / ", values.stream().map(Labels::of).toList());
        return Labels.of(y);
    }

    /** Whether the y values are a share: the y column's, or all the long-format series'. */
    private boolean isShare(List<String> values) {
        if (Labels.isShare(y)) return true;
        return Labels.GENERIC.contains(y) && series != null && values.stream().allMatch(Labels::isShare);
    }

    /** Series {@code s} of {@code n}: its own dash and marker, and a width that lets a later line show over an earlier one. */
    private static void distinguish(Map<String, Object> line, int s, int n, String color) {
        line.put("mode", "lines+markers");
        line.put("line", Map.of("color", color, "width", s == 0 ? 3 : 2, "dash", DASHES.get(s % DASHES.size())));
        line.put("marker", Map.of("symbol", MARKERS.get(s % MARKERS.size()), "size", 7, "color", color, "maxdisplayed", MARKERS_PER_LINE));
    }

    /**
     * Log-axis ticks a reader can take in, written by {@link Format}: over 3 decades or more at powers
     * of ten only, over less at 1, 2 and 5 of each decade (Plotly labels 2, 3, ... 9 of every decade
     * in small digits beside its powers of ten).
     */
    private static void logTicks(Map<String, Object> axis, List<Map<String, Object>> traces) {
        double lo = Double.POSITIVE_INFINITY, hi = 0;
        for (Map<String, Object> t : traces)
            if (t.get("y") instanceof double[] ys)
                for (double v : ys)
                    if (v > 0 && Double.isFinite(v)) {
                        lo = Math.min(lo, v);
                        hi = Math.max(hi, v);
                    }
        axis.put("exponentformat", "power");
        if (!(hi > 0)) return;
        List<Double> vals = new ArrayList<>();
        List<String> text = new ArrayList<>();
        double[] steps = Math.log10(hi / lo) >= 3 ? new double[]{1} : new double[]{1, 2, 5};
        for (int k = (int) Math.floor(Math.log10(lo)); k <= (int) Math.ceil(Math.log10(hi)); k++)
            for (double m : steps) {
                double v = Double.parseDouble(m + "e" + k);   // exact decimal, no 2·10^k rounding noise
                if (v >= lo / 1.05 && v <= hi * 1.05) {
                    vals.add(v);
                    text.add(Format.number(v));
                }
            }
        if (vals.size() >= 2) {
            axis.put("tickvals", vals);
            axis.put("ticktext", text);
        }
    }

    /** The distinct finite values of a numeric column, ascending. */
    private static double[] distinct(NumericColumn<?> c) {
        java.util.TreeSet<Double> set = new java.util.TreeSet<>();
        for (int i = 0; i < c.size(); i++) {
            double v = c.getDouble(i);
            if (Double.isFinite(v)) set.add(v);
        }
        return set.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Whether ascending distinct values form a log-spaced grid (see {@link #MIN_LOG_STEP}). */
    static boolean isLogGrid(double[] v) {
        if (v.length < 3 || v[0] <= 0) return false;
        double lo = Double.POSITIVE_INFINITY, hi = 0;
        for (int i = 1; i < v.length; i++) {
            double r = Math.log(v[i] / v[i - 1]);
            lo = Math.min(lo, r);
            hi = Math.max(hi, r);
        }
        return lo >= Math.log(MIN_LOG_STEP) && hi <= 2 * lo;
    }

    /** Ticks at the grid's values, written by {@link Format}. */
    private static void ticksAt(Map<String, Object> axis, double[] grid) {
        List<Double> vals = new ArrayList<>();
        List<String> text = new ArrayList<>();
        for (double g : grid) {
            vals.add(g);
            text.add(Format.number(g));
        }
        axis.put("tickvals", vals);
        axis.put("ticktext", text);
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

    /** The lower edge, then the upper edge filled down to the lower one, in the series' own colour. */
    private static List<Map<String, Object>> band(String name, String color, Summary s) {
        Map<String, Object> lower = line(name, color, s.x, s.lower);
        Map<String, Object> upper = line(name, color, s.x, s.upper);
        for (Map<String, Object> t : List.of(lower, upper)) {
            t.put("line", Map.of("color", Colors.translucent(color, EDGE_ALPHA), "width", 0.7));
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
