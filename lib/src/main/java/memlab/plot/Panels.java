package memlab.plot;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lays plots out in a grid of Plotly subplots: plot {@code k} (0-based, row by row) gets axes
 * {@code x<k+1>}/{@code y<k+1>} ({@code x}/{@code y} for the first) over its share of the page, its
 * title as an annotation above it, and its colour bars beside it. A legend entry shown by an earlier
 * panel is not repeated.
 */
final class Panels {
    /** Gaps between panels, as fractions of the figure. */
    static final double H_GAP = 0.1, V_GAP = 0.17;

    private Panels() {}

    /** The figure {@code {data, layout, config}}. */
    static Map<String, Object> compose(List<Plot> plots, int columns, String title, int width, int height) {
        int n = plots.size(), cols = Math.min(columns, n), rows = (n + cols - 1) / cols;
        double w = (1 - (cols - 1) * H_GAP) / cols, h = (1 - (rows - 1) * V_GAP) / rows;
        List<Map<String, Object>> data = new ArrayList<>();
        List<Map<String, Object>> annotations = new ArrayList<>();
        Map<String, Object> layout = new LinkedHashMap<>();
        Set<String> inLegend = new HashSet<>();
        boolean colourBars = false;
        String figureTitle = title;
        if ((figureTitle == null || figureTitle.isEmpty()) && n == 1) figureTitle = plots.getFirst().title();
        for (int k = 0; k < n; k++) {
            Plot p = plots.get(k);
            String suffix = k == 0 ? "" : Integer.toString(k + 1);
            double x0 = (k % cols) * (w + H_GAP), y1 = 1 - (k / cols) * (h + V_GAP);
            double[] xDomain = {x0, x0 + w}, yDomain = {y1 - h, y1};
            Map<String, Object> xAxis = p.xAxis(), yAxis = p.yAxis();
            xAxis.put("domain", xDomain);
            xAxis.put("anchor", "y" + suffix);
            yAxis.put("domain", yDomain);
            yAxis.put("anchor", "x" + suffix);
            layout.put("xaxis" + suffix, xAxis);
            layout.put("yaxis" + suffix, yAxis);
            for (Map<String, Object> t : p.traces()) {
                t.put("xaxis", "x" + suffix);
                t.put("yaxis", "y" + suffix);
                if (t.get("name") instanceof String name && !Boolean.FALSE.equals(t.get("showlegend")) && !inLegend.add(name))
                    t.put("showlegend", false);
                if ("heatmap".equals(t.get("type")) && !Boolean.FALSE.equals(t.get("showscale"))) {
                    Map<String, Object> bar = new LinkedHashMap<>();
                    if (t.get("colorbar") instanceof Map<?, ?> m) m.forEach((a, b) -> bar.put((String) a, b));
                    bar.put("x", xDomain[1] + 0.01);
                    bar.put("xanchor", "left");
                    bar.put("y", (yDomain[0] + yDomain[1]) / 2);
                    bar.put("yanchor", "middle");
                    bar.put("len", h);
                    bar.put("thickness", 12);
                    t.put("colorbar", bar);
                    colourBars = true;
                }
                data.add(t);
            }
            if (n > 1 && !p.title().isEmpty())
                annotations.add(Map.of("text", "<b>" + p.title() + "</b>", "x", (xDomain[0] + xDomain[1]) / 2, "y", yDomain[1],
                        "xref", "paper", "yref", "paper", "xanchor", "center", "yanchor", "bottom",
                        "showarrow", false, "font", Map.of("size", 13)));
        }
        boolean titled = figureTitle != null && !figureTitle.isEmpty();
        if (titled) layout.put("title", Map.of("text", figureTitle, "x", 0.5, "xanchor", "center"));
        layout.put("annotations", annotations);
        layout.put("width", width);
        layout.put("height", height);
        // colour bars sit right of their panels, so a legend with them goes below the panels
        if (colourBars) layout.put("legend", Map.of("orientation", "h", "x", 0.5, "xanchor", "center", "y", 0, "yanchor", "bottom", "yref", "container"));
        layout.put("margin", Map.of("l", 70, "r", colourBars ? 90 : 30, "t", titled ? 70 : (annotations.isEmpty() ? 30 : 50), "b", colourBars ? 100 : 60));
        layout.put("paper_bgcolor", "white");
        layout.put("plot_bgcolor", "white");
        for (Map.Entry<String, Object> e : layout.entrySet())
            if (e.getKey().matches("[xy]axis\\d*") && e.getValue() instanceof Map<?, ?> a) {
                @SuppressWarnings("unchecked") Map<String, Object> axis = (Map<String, Object>) a;
                axis.putIfAbsent("showline", true);
                axis.putIfAbsent("linecolor", "#444");
                axis.putIfAbsent("gridcolor", "#e5e5e5");
                axis.putIfAbsent("zeroline", false);
            }
        Map<String, Object> figure = new LinkedHashMap<>();
        figure.put("data", data);
        figure.put("layout", layout);
        figure.put("config", Map.of("displaylogo", false, "responsive", false));
        return figure;
    }
}
