package memlab.plot;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lays plots out in a grid of Plotly subplots: plot {@code k} (0-based, row by row) gets axes
 * {@code x<k+1>}/{@code y<k+1>} ({@code x}/{@code y} for the first) over its share of the page, its
 * title as an annotation above it, and its colour bars beside it; a table gets its share as a
 * domain and no axes. A legend entry shown by an earlier panel is not repeated, two legend entries
 * never share a colour, and the legend sits below the panels so it is never cut off at the side.
 *
 * <p>The figure is responsive: its layout has a height but no width, and fills the width of its
 * element (see {@link Figure}).
 */
final class Panels {
    /**
     * Gaps between panels in pixels: beside a panel its neighbour's tick labels and axis title (and
     * its own colour bar, if any), below a panel its x tick labels and title and the next panel's title.
     */
    static final int H_GAP_PX = 85, H_GAP_BAR_PX = 150, V_GAP_PX = 105;
    /** Margins around the panels, in pixels. */
    static final int LEFT_PX = 70, RIGHT_PX = 30, RIGHT_BAR_PX = 90;
    /** Approximate width of a character of a panel title (13 px bold) and of an axis title (14 px), in pixels. */
    static final double TITLE_CHAR_PX = 7.6, AXIS_CHAR_PX = 8.0;
    /** A figure title longer than this is broken onto two lines. */
    static final int TITLE_CHARS = 80;

    private Panels() {}

    /**
     * The figure {@code {data, layout, config}}; {@code pins} maps legend names to the colours they
     * must have (e.g. a paper's), before other entries are kept apart.
     */
    static Map<String, Object> compose(List<Plot> plots, int columns, String title, int width, int height, Map<String, String> pins) {
        int n = plots.size(), cols = Math.min(columns, n), rows = (n + cols - 1) / cols;
        boolean bars = plots.stream().anyMatch(p -> p.traces().stream().anyMatch(t -> "heatmap".equals(t.get("type")) && !Boolean.FALSE.equals(t.get("showscale"))));
        // gaps in pixels, as fractions of the plotting area at the width the figure is laid out for
        double areaW = Math.max(200, width - LEFT_PX - (bars ? RIGHT_BAR_PX : RIGHT_PX)), areaH = Math.max(150, height - 180);
        double hGap = Math.min(0.3, (bars ? H_GAP_BAR_PX : H_GAP_PX) / areaW), vGap = Math.min(0.3, V_GAP_PX / areaH);
        double w = (1 - (cols - 1) * hGap) / cols, h = (1 - (rows - 1) * vGap) / rows;
        int titleChars = (int) (w * areaW / TITLE_CHAR_PX), axisChars = (int) (h * areaH / AXIS_CHAR_PX);
        boolean wrappedPanelTitle = false;
        List<Map<String, Object>> data = new ArrayList<>();
        List<Map<String, Object>> annotations = new ArrayList<>();
        Map<String, Object> layout = new LinkedHashMap<>();
        Set<String> inLegend = new HashSet<>();
        Set<String> columnsUsed = new LinkedHashSet<>();
        boolean colourBars = false;
        String figureTitle = title;
        if ((figureTitle == null || figureTitle.isEmpty()) && n == 1) figureTitle = plots.getFirst().title();
        for (int k = 0; k < n; k++) {
            Plot p = plots.get(k);
            columnsUsed.addAll(p.columns());
            String suffix = k == 0 ? "" : Integer.toString(k + 1);
            double x0 = (k % cols) * (w + hGap), y1 = 1 - (k / cols) * (h + vGap);
            double[] xDomain = {x0, x0 + w}, yDomain = {y1 - h, y1};
            boolean table = p.isTable();
            if (!table) {
                Map<String, Object> xAxis = p.xAxis(), yAxis = p.yAxis();
                if (yAxis.get("title") instanceof Map<?, ?> yt && yt.get("text") instanceof String text && text.length() > axisChars)
                    yAxis.put("title", Map.of("text", wrap(text, axisChars)));
                xAxis.put("domain", xDomain);
                xAxis.put("anchor", "y" + suffix);
                yAxis.put("domain", yDomain);
                yAxis.put("anchor", "x" + suffix);
                layout.put("xaxis" + suffix, xAxis);
                layout.put("yaxis" + suffix, yAxis);
            }
            for (Map<String, Object> t : p.traces()) {
                if (table) t.put("domain", Map.of("x", xDomain, "y", yDomain));
                else {
                    t.put("xaxis", "x" + suffix);
                    t.put("yaxis", "y" + suffix);
                }
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
            String panelTitle = wrap(p.title(), titleChars);
            if (k < cols && panelTitle.contains("<br>")) wrappedPanelTitle = true;
            if (n > 1 && !p.title().isEmpty())
                annotations.add(Map.of("text", "<b>" + panelTitle + "</b>", "x", (xDomain[0] + xDomain[1]) / 2, "y", yDomain[1],
                        "xref", "paper", "yref", "paper", "xanchor", "center", "yanchor", "bottom",
                        "showarrow", false, "font", Map.of("size", 13)));
        }
        colour(data, pins);
        boolean legend = data.stream().anyMatch(t -> t.get("name") != null && !Boolean.FALSE.equals(t.get("showlegend")));
        boolean titled = figureTitle != null && !figureTitle.isEmpty();
        String shownTitle = titled ? wrap(figureTitle, TITLE_CHARS) : "";
        boolean twoLines = shownTitle.contains("<br>");
        if (titled) layout.put("title", Map.of("text", shownTitle, "x", 0.5, "xanchor", "center"));
        layout.put("annotations", annotations);
        layout.put("autosize", true);
        layout.put("height", height);
        layout.put("showlegend", legend);
        // below the panels: a legend at the side would take their width and be cut off in a narrow notebook
        if (legend) layout.put("legend", Map.of("orientation", "h", "x", 0.5, "xanchor", "center", "y", 0, "yanchor", "bottom", "yref", "container"));
        // a two-line figure title over two-line panel titles needs a full line more, or the two touch
        int top = (titled ? (twoLines ? 95 : 70) : (annotations.isEmpty() ? 30 : 50)) + (wrappedPanelTitle ? (twoLines ? 32 : 18) : 0);
        layout.put("margin", Map.of("l", LEFT_PX, "r", colourBars ? RIGHT_BAR_PX : RIGHT_PX, "t", top, "b", legend ? 110 : 60));
        layout.put("paper_bgcolor", "white");
        layout.put("plot_bgcolor", "white");
        layout.put("meta", Map.of("columns", List.copyOf(columnsUsed)));
        for (Map.Entry<String, Object> e : layout.entrySet())
            if (e.getKey().matches("[xy]axis\\d*") && e.getValue() instanceof Map<?, ?> a) {
                @SuppressWarnings("unchecked") Map<String, Object> axis = (Map<String, Object>) a;
                axis.putIfAbsent("showline", true);
                axis.putIfAbsent("linecolor", "#444");
                axis.putIfAbsent("gridcolor", "#e5e5e5");
                axis.putIfAbsent("zeroline", false);
                axis.putIfAbsent("automargin", true);
            }
        Map<String, Object> figure = new LinkedHashMap<>();
        figure.put("data", data);
        figure.put("layout", layout);
        figure.put("config", Map.of("displaylogo", false, "responsive", true));
        return figure;
    }

    /** A title longer than {@code chars} on two lines, broken at the space nearest its middle. */
    static String wrap(String title, int chars) {
        if (title == null || title.length() <= Math.max(chars, 8) || title.contains("<br>")) return title;
        int mid = title.length() / 2, best = -1;
        for (int i = 0; i < title.length(); i++)
            if (title.charAt(i) == ' ' && (best < 0 || Math.abs(i - mid) < Math.abs(best - mid))) best = i;
        return best < 0 ? title : title.substring(0, best) + "<br>" + title.substring(best + 1);
    }

    /**
     * Colours line series (traces with a {@code legendgroup}): first the pinned ones, then any legend
     * entry whose colour an earlier entry already has gets the first palette colour no entry has, with
     * its band and its lines in other panels.
     */
    static void colour(List<Map<String, Object>> data, Map<String, String> pins) {
        Map<String, String> recolour = new HashMap<>(pins);
        Map<String, String> owner = new HashMap<>();   // colour -> legend name that has it
        for (String pinned : pins.keySet()) owner.put(pins.get(pinned).toLowerCase(), pinned);
        for (Map<String, Object> t : data) {
            if (!(t.get("name") instanceof String name) || Boolean.FALSE.equals(t.get("showlegend"))) continue;
            String c = recolour.getOrDefault(group(t), colourOf(t));
            if (c == null) continue;
            String holder = owner.putIfAbsent(c.toLowerCase(), name);
            if (holder != null && !holder.equals(name) && t.get("legendgroup") != null && !pins.containsKey(group(t))) {
                String fresh = null;
                for (int i = 0; i < 64 && fresh == null; i++)
                    if (!owner.containsKey(Colors.nth(i))) fresh = Colors.nth(i);
                if (fresh == null) continue;
                owner.put(fresh, name);
                recolour.put(group(t), fresh);
            }
        }
        for (Map<String, Object> t : data) {
            String c = t.get("legendgroup") == null ? null : recolour.get(group(t));
            if (c == null && t.get("legendgroup") != null && t.get("name") instanceof String nm) c = pins.get(nm);
            if (c != null) paint(t, c);
        }
    }

    private static String group(Map<String, Object> t) {
        Object g = t.get("legendgroup");
        return g != null ? g.toString() : String.valueOf(t.get("name"));
    }

    /** The colour a trace shows in the legend: its line's, else its marker's. */
    private static String colourOf(Map<String, Object> t) {
        for (String part : List.of("line", "marker"))
            if (t.get(part) instanceof Map<?, ?> m && m.get("color") instanceof String c && c.startsWith("#")) return c;
        return null;
    }

    /** Sets a line trace's colour: its line and markers opaque, a band's edge and fill translucent. */
    private static void paint(Map<String, Object> t, String hex) {
        boolean bandEdge = Boolean.FALSE.equals(t.get("showlegend")) && "skip".equals(t.get("hoverinfo"));
        if (t.get("line") instanceof Map<?, ?> m) {
            Map<String, Object> line = new LinkedHashMap<>();
            m.forEach((a, b) -> line.put((String) a, b));
            line.put("color", bandEdge ? Colors.translucent(hex, LineChart.EDGE_ALPHA) : hex);
            t.put("line", line);
        }
        if (t.get("marker") instanceof Map<?, ?> m) {
            Map<String, Object> marker = new LinkedHashMap<>();
            m.forEach((a, b) -> marker.put((String) a, b));
            marker.put("color", hex);
            t.put("marker", marker);
        }
        if (t.containsKey("fillcolor")) t.put("fillcolor", Colors.translucent(hex, LineChart.BAND_ALPHA));
    }
}
