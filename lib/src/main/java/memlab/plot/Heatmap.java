package memlab.plot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A heatmap of a matrix, e.g. attention weights: {@code values[row][column]}, rows along the y axis
 * and columns along the x axis. Row 0 is at the bottom unless {@link #rowsTopDown()}.
 *
 * <pre>{@code
 * // weights[t][slot]: time down the page, memory slot across
 * Plot p = Heatmap.of(weights).xTitle("slot").yTitle("time").rowsTopDown().logColor().plot();
 * }</pre>
 */
public final class Heatmap {
    private final double[][] values;
    private List<String> xLabels;
    private List<String> yLabels;
    private String xTitle = "";
    private String yTitle = "";
    private String title;
    private String colorTitle = "";
    private String colorScale = "Viridis";
    private boolean logColor;
    private boolean topDown;
    private String missingLabel;          // written in NaN cells; null: they stay blank
    private double zMin = Double.NaN, zMax = Double.NaN;

    private Heatmap(double[][] values) {
        if (values.length == 0) throw new IllegalArgumentException("heatmap needs at least one row");
        for (double[] row : values)
            if (row.length != values[0].length)
                throw new IllegalArgumentException("heatmap rows must all have " + values[0].length + " values, one has " + row.length);
        this.values = values;
    }

    /** A heatmap of {@code values[row][column]} (rows ↦ y, columns ↦ x). */
    public static Heatmap of(double[][] values) {
        return new Heatmap(values);
    }

    /** A heatmap of {@code values[row][column]} (rows ↦ y, columns ↦ x). */
    public static Heatmap of(float[][] values) {
        double[][] d = new double[values.length][];
        for (int i = 0; i < values.length; i++) {
            d[i] = new double[values[i].length];
            for (int j = 0; j < d[i].length; j++) d[i][j] = values[i][j];
        }
        return new Heatmap(d);
    }

    /** Labels of the columns (x axis), one per column; default 0, 1, 2, .... Numbers are written by {@link Format#label}. */
    public Heatmap xLabels(List<String> labels) {
        if (labels.size() != values[0].length) throw new IllegalArgumentException("expected " + values[0].length + " x labels, got " + labels.size());
        this.xLabels = labels.stream().map(Format::label).toList();
        return this;
    }

    /** Labels of the rows (y axis), one per row; default 0, 1, 2, .... Numbers are written by {@link Format#label}. */
    public Heatmap yLabels(List<String> labels) {
        if (labels.size() != values.length) throw new IllegalArgumentException("expected " + values.length + " y labels, got " + labels.size());
        this.yLabels = labels.stream().map(Format::label).toList();
        return this;
    }

    /** Title of the x axis (the columns); a column name is replaced by its {@link Labels label}. */
    public Heatmap xTitle(String title) {
        this.xTitle = Labels.known(title) ? Labels.of(title) : title;
        return this;
    }

    /** Title of the y axis (the rows); a column name is replaced by its {@link Labels label}. */
    public Heatmap yTitle(String title) {
        this.yTitle = Labels.known(title) ? Labels.of(title) : title;
        return this;
    }

    /** Title of the colour bar; a column name is replaced by its {@link Labels label}. */
    public Heatmap colorTitle(String title) {
        this.colorTitle = Labels.known(title) ? Labels.of(title) : title;
        return this;
    }

    /** A Plotly colour scale name, e.g. {@code Viridis} (the default), {@code Greys}, {@code RdBu}. */
    public Heatmap colorScale(String name) {
        this.colorScale = name;
        return this;
    }

    /**
     * Colours by {@code log10(value)}; the colour bar is labelled in powers of ten and hovering shows
     * the value itself. Values that are not positive are left blank.
     */
    public Heatmap logColor() {
        this.logColor = true;
        return this;
    }

    /** Row 0 at the top, like a printed matrix. */
    public Heatmap rowsTopDown() {
        this.topDown = true;
        return this;
    }

    /**
     * A fixed colour range, e.g. 0–1 for shares, so that a panel of equal values (all 0) is not drawn on
     * an arbitrary range around that value and panels compare.
     */
    public Heatmap range(double min, double max) {
        if (!(min < max)) throw new IllegalArgumentException("colour range needs min < max, got " + min + ", " + max);
        zMin = min;
        zMax = max;
        return this;
    }

    /**
     * Writes {@code label} in every cell whose value is NaN (e.g. "none converged" for a median over no
     * runs), so that an empty cell, or a panel of only empty cells, says why it is empty. Keep it to a
     * word or two a line ({@code <br>} breaks it): it is drawn in the cell.
     */
    public Heatmap missing(String label) {
        if (label == null || label.isBlank()) throw new IllegalArgumentException("missing label must be non-empty");
        this.missingLabel = label;
        return this;
    }

    /** The chart's title. */
    public Heatmap title(String title) {
        this.title = title;
        return this;
    }

    /** The chart. */
    public Plot plot() {
        int rows = values.length, cols = values[0].length;
        double[][] z = new double[rows][cols];
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) {
                double v = values[i][j];
                z[i][j] = !logColor ? v : v > 0 ? Math.log10(v) : Double.NaN;
                if (Double.isFinite(z[i][j])) {
                    lo = Math.min(lo, z[i][j]);
                    hi = Math.max(hi, z[i][j]);
                }
            }
        Map<String, Object> colorbar = new LinkedHashMap<>();
        if (!colorTitle.isEmpty()) colorbar.put("title", Map.of("text", colorTitle));
        if (logColor && lo <= hi) {
            List<Integer> ticks = new ArrayList<>();
            List<String> text = new ArrayList<>();
            for (int k = (int) Math.ceil(lo); k <= (int) Math.floor(hi); k++) {
                ticks.add(k);
                text.add("1e" + k);
            }
            colorbar.put("tickvals", ticks);
            colorbar.put("ticktext", text);
        }
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("type", "heatmap");
        t.put("x", xLabels != null ? xLabels : range(cols));
        t.put("y", yLabels != null ? yLabels : range(rows));
        t.put("z", List.of(z));
        t.put("colorscale", colorScale);
        t.put("colorbar", colorbar);
        if (!Double.isNaN(zMin)) {
            t.put("zmin", zMin);
            t.put("zmax", zMax);
        }
        if (logColor) {
            t.put("customdata", List.of(values));
            t.put("hovertemplate", "x %{x}<br>y %{y}<br>value %{customdata:.3g}<extra></extra>");
        }
        Map<String, Object> xAxis = Plot.axis(xTitle, false), yAxis = Plot.axis(yTitle, false);
        xAxis.put("type", "category");
        yAxis.put("type", "category");
        if (topDown) yAxis.put("autorange", "reversed");
        List<Map<String, Object>> traces = new ArrayList<>(List.of(t));
        if (missingLabel != null) {
            List<String> xs = new ArrayList<>(), ys = new ArrayList<>(), xNames = xLabels != null ? xLabels : range(cols), yNames = yLabels != null ? yLabels : range(rows);
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < cols; j++)
                    if (Double.isNaN(values[i][j])) {
                        xs.add(xNames.get(j));
                        ys.add(yNames.get(i));
                    }
            if (!xs.isEmpty()) {
                Map<String, Object> text = new LinkedHashMap<>();
                text.put("type", "scatter");
                text.put("mode", "text");
                text.put("x", xs);
                text.put("y", ys);
                text.put("text", java.util.Collections.nCopies(xs.size(), missingLabel));
                text.put("textfont", Map.of("size", 10));       // small, to fit a narrow cell
                text.put("showlegend", false);
                text.put("hoverinfo", "skip");
                traces.add(text);
                // the cells' own extent: with no finite cell, the axes would fit the labels' centres and cut the outer ones
                xAxis.put("range", List.of(-0.5, cols - 0.5));
                yAxis.remove("autorange");                        // a set range is drawn as given; top-down is then the reversed range
                yAxis.put("range", topDown ? List.of(rows - 0.5, -0.5) : List.of(-0.5, rows - 0.5));
            }
        }
        return new Plot(title, traces, xAxis, yAxis);
    }

    private static List<String> range(int n) {
        List<String> r = new ArrayList<>();
        for (int i = 0; i < n; i++) r.add(Integer.toString(i));
        return r;
    }
}
