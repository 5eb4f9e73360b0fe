package memlab.plot;

import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A sweep's outcome over two settings, e.g. {@code stable} / {@code diverged} over learning rate ×
 * clip norm: one coloured cell per pair of values, one colour per outcome, and optionally one panel
 * per value of a facet column (e.g. the optimiser).
 *
 * <p>Each row of the table is one run: columns {@code x}, {@code y}, {@code outcome} (and the
 * facet). When a cell has several runs (seeds), it shows the most frequent outcome (ties: the one
 * listed first) and hovering shows how many runs had it.
 *
 * <pre>{@code
 * List<Plot> panels = PhaseGrid.of(summary, "lr", "clip", "outcome").facet("optimizer").plots();
 * Figure.grid("phase", 2, panels).show();
 * }</pre>
 */
public final class PhaseGrid {
    /** Colours of the usual outcomes; others take the palette. */
    private static final Map<String, String> KNOWN = Map.of(
            "stable", "#2ca02c", "converged", "#2ca02c", "ok", "#2ca02c",
            "diverged", "#d62728", "nan", "#d62728",
            "unstable", "#ff7f0e", "slow", "#1f77b4");

    private final Table table;
    private final String x;
    private final String y;
    private final String outcome;
    private String facet;
    private String title;
    private String xTitle;
    private String yTitle;
    private final Map<String, String> colors = new LinkedHashMap<>();

    private PhaseGrid(Table table, String x, String y, String outcome) {
        this.table = table;
        this.x = x;
        this.y = y;
        this.outcome = outcome;
        for (String c : List.of(x, y, outcome)) Columns.get(table, c);
    }

    /** A grid of {@code outcome} over {@code x} × {@code y}, one run per row of {@code table}. */
    public static PhaseGrid of(Table table, String x, String y, String outcome) {
        return new PhaseGrid(table, x, y, outcome);
    }

    /** One panel per value of column {@code column}. */
    public PhaseGrid facet(String column) {
        Columns.get(table, column);
        this.facet = column;
        return this;
    }

    /** Colour {@code #rrggbb} of one outcome. */
    public PhaseGrid color(String outcomeValue, String hex) {
        Colors.translucent(hex, 1); // validates
        colors.put(outcomeValue, hex);
        return this;
    }

    /** Title of the x axis; by default the {@link Labels label} of the x column. */
    public PhaseGrid xTitle(String title) {
        this.xTitle = title;
        return this;
    }

    /** Title of the y axis; by default the {@link Labels label} of the y column. */
    public PhaseGrid yTitle(String title) {
        this.yTitle = title;
        return this;
    }

    /** The title (of each panel, followed by the facet value). */
    public PhaseGrid title(String title) {
        this.title = title;
        return this;
    }

    /** The chart; fails if a facet was set (use {@link #plots()}). */
    public Plot plot() {
        if (facet != null) throw new IllegalStateException("a faceted phase grid has several plots: use plots()");
        return plots().getFirst();
    }

    /** One plot per facet value (one plot when there is no facet); only the first has the legend. */
    public List<Plot> plots() {
        Column<?> xs = table.column(x), ys = table.column(y), outs = table.column(outcome);
        List<String> xLevels = Columns.levels(xs), yLevels = Columns.levels(ys), outcomes = Columns.levels(outs);
        List<String> facets = facet == null ? List.of("") : Columns.levels(table.column(facet));
        List<String> palette = palette(outcomes);
        List<Plot> plots = new ArrayList<>();
        for (String f : facets) {
            int[][][] counts = new int[yLevels.size()][xLevels.size()][outcomes.size()];
            for (int i = 0; i < table.rowCount(); i++) {
                if (facet != null && !table.column(facet).getString(i).equals(f)) continue;
                counts[yLevels.indexOf(ys.getString(i))][xLevels.indexOf(xs.getString(i))][outcomes.indexOf(outs.getString(i))]++;
            }
            List<Map<String, Object>> traces = new ArrayList<>();
            traces.add(cells(counts, xLevels, yLevels, outcomes, palette));
            if (plots.isEmpty())
                for (int k = 0; k < outcomes.size(); k++) traces.add(legendEntry(outcomes.get(k), palette.get(k)));
            Map<String, Object> xAxis = Plot.axis(xTitle != null ? xTitle : Labels.of(x), false),
                    yAxis = Plot.axis(yTitle != null ? yTitle : Labels.of(y), false);
            xAxis.put("type", "category");
            yAxis.put("type", "category");
            String t = facet == null ? title : (title == null ? "" : title + " ") + Labels.of(facet) + " = " + Format.label(f);
            List<String> used = new ArrayList<>(List.of(x, y, outcome));
            if (facet != null) used.add(facet);
            plots.add(new Plot(t, traces, xAxis, yAxis, used));
        }
        return plots;
    }

    private List<String> palette(List<String> outcomes) {
        List<String> p = new ArrayList<>();
        int next = 4; // palette colours after green/red/orange/blue
        for (String o : outcomes) {
            String c = colors.getOrDefault(o, KNOWN.get(o.toLowerCase(Locale.ROOT)));
            p.add(c != null ? c : Colors.nth(next++));
        }
        return p;
    }

    /**
     * The cells as a heatmap of outcome indices {@code 0..k-1} with a stepwise colour scale: index
     * {@code i} maps to {@code (i + 0.5) / k} on the scale, inside the band {@code [i/k, (i+1)/k]}
     * painted in colour {@code i}.
     */
    static Map<String, Object> cells(int[][][] counts, List<String> xLevels, List<String> yLevels,
                                     List<String> outcomes, List<String> palette) {
        int k = outcomes.size();
        List<Object> z = new ArrayList<>(), text = new ArrayList<>();
        for (int[][] row : counts) {
            List<Object> zr = new ArrayList<>(), tr = new ArrayList<>();
            for (int[] cell : row) {
                int best = -1, n = 0;
                for (int o = 0; o < k; o++) {
                    n += cell[o];
                    if (cell[o] > 0 && (best < 0 || cell[o] > cell[best])) best = o;
                }
                zr.add(best < 0 ? null : best);
                tr.add(best < 0 ? "no run" : outcomes.get(best) + " (" + cell[best] + "/" + n + ")");
            }
            z.add(zr);
            text.add(tr);
        }
        List<List<Object>> scale = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            scale.add(List.of((double) i / k, palette.get(i)));
            scale.add(List.of((double) (i + 1) / k, palette.get(i)));
        }
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("type", "heatmap");
        t.put("x", xLevels.stream().map(Format::label).toList());
        t.put("y", yLevels.stream().map(Format::label).toList());
        t.put("z", z);
        t.put("text", text);
        t.put("hovertemplate", "%{x}, %{y}: %{text}<extra></extra>");
        t.put("zmin", -0.5);
        t.put("zmax", k - 0.5);
        t.put("colorscale", scale);
        t.put("showscale", false);
        t.put("xgap", 1);
        t.put("ygap", 1);
        return t;
    }

    /** A legend entry: a square of the outcome's colour, with no data. */
    private static Map<String, Object> legendEntry(String name, String color) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("type", "scatter");
        t.put("mode", "markers");
        t.put("name", name);
        t.put("x", java.util.Arrays.asList((Object) null));
        t.put("y", java.util.Arrays.asList((Object) null));
        t.put("marker", Map.of("symbol", "square", "size", 12, "color", color));
        t.put("showlegend", true);
        t.put("hoverinfo", "skip");
        return t;
    }
}
