package memlab.plot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One chart: its Plotly traces, its x and y axis settings and its title. A {@link Figure} shows one
 * plot or several in a grid. Plots are made by {@link LineChart}, {@link Heatmap},
 * {@link PhaseGrid} and {@link ComparisonTable}; a plot is immutable once made.
 */
public final class Plot {
    private final String title;
    private final List<Map<String, Object>> traces;
    private final Map<String, Object> xAxis;
    private final Map<String, Object> yAxis;
    private final List<String> columns;

    Plot(String title, List<Map<String, Object>> traces, Map<String, Object> xAxis, Map<String, Object> yAxis) {
        this(title, traces, xAxis, yAxis, List.of());
    }

    /** {@code columns}: the data columns the plot draws, so a check can tell a raw column name used as a title. */
    Plot(String title, List<Map<String, Object>> traces, Map<String, Object> xAxis, Map<String, Object> yAxis, List<String> columns) {
        this.title = title == null ? "" : title;
        this.traces = List.copyOf(traces);
        this.xAxis = Map.copyOf(xAxis);
        this.yAxis = Map.copyOf(yAxis);
        this.columns = List.copyOf(columns);
    }

    /** The names of the data columns the plot draws (empty for plots of a matrix). */
    public List<String> columns() {
        return columns;
    }

    /** Whether the plot is a table (no axes). */
    boolean isTable() {
        return !traces.isEmpty() && traces.stream().allMatch(t -> "table".equals(t.get("type")));
    }

    /** The plot's title ({@code ""} when none). */
    public String title() {
        return title;
    }

    /** The Plotly traces (copies: editing them does not change the plot). */
    public List<Map<String, Object>> traces() {
        List<Map<String, Object>> copy = new ArrayList<>();
        for (Map<String, Object> t : traces) copy.add(new LinkedHashMap<>(t));
        return copy;
    }

    /** The Plotly x-axis settings. */
    public Map<String, Object> xAxis() {
        return new LinkedHashMap<>(xAxis);
    }

    /** The Plotly y-axis settings. */
    public Map<String, Object> yAxis() {
        return new LinkedHashMap<>(yAxis);
    }

    /** A figure with this plot alone, saved under {@code id}. */
    public Figure figure(String id) {
        return Figure.of(id, this);
    }

    /** An axis with a title, and optionally a log scale. */
    static Map<String, Object> axis(String title, boolean log) {
        Map<String, Object> a = new LinkedHashMap<>();
        if (title != null && !title.isEmpty()) a.put("title", Map.of("text", title));
        if (log) a.put("type", "log");
        return a;
    }
}
