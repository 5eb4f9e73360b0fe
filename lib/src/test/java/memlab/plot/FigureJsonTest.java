package memlab.plot;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.api.LinePlot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Plotly JSON the charts and figures build, and the HTML they write. */
class FigureJsonTest {
    static final double EPS = 1e-12;

    /** Series "a": three runs at step 0 (1, 2, 6) and 1 (2, 4, 6); at step 2 only run 0 is left (5). */
    static Table seeds() {
        return Table.create("seeds",
                IntColumn.create("step", 0, 0, 0, 1, 1, 1, 2),
                IntColumn.create("run", 0, 1, 2, 0, 1, 2, 0),
                StringColumn.create("lr", "a", "a", "a", "a", "a", "a", "a"),
                DoubleColumn.create("loss", 1, 2, 6, 2, 4, 6, 5));
    }

    static JsonObject parse(Figure f) {
        return JsonParser.parseString(f.json()).getAsJsonObject();
    }

    static double[] doubles(Map<String, Object> trace, String key) {
        return (double[]) trace.get(key);
    }

    @Test
    void meanWithMinMaxBand() {
        List<Map<String, Object>> t = LineChart.of(seeds(), "step", "loss").series("lr").meanOver("run", LineChart.Band.MIN_MAX).plot().traces();
        assertEquals(3, t.size(), "lower edge, upper edge, mean");
        assertArrayEquals(new double[]{0, 1, 2}, doubles(t.get(2), "x"), EPS);
        assertArrayEquals(new double[]{3, 4, 5}, doubles(t.get(2), "y"), EPS);
        assertArrayEquals(new double[]{1, 2, 5}, doubles(t.get(0), "y"), EPS);
        assertArrayEquals(new double[]{6, 6, 5}, doubles(t.get(1), "y"), EPS);
        assertEquals("tonexty", t.get(1).get("fill"), "the upper edge fills down to the lower one");
        assertEquals(false, t.get(0).get("showlegend"));
        assertEquals("learning rate a", t.get(2).get("name"), "a value of a column with a label: named by both");
    }

    @Test
    void meanWithStdBand() {
        List<Map<String, Object>> t = LineChart.of(seeds(), "step", "loss").series("lr").meanOver("run", LineChart.Band.STD).plot().traces();
        double sd0 = Math.sqrt(((1 - 3) * (1 - 3) + (2 - 3) * (2 - 3) + (6 - 3) * (6 - 3)) / 3.0);
        double sd1 = Math.sqrt((4 + 0 + 4) / 3.0);
        assertArrayEquals(new double[]{3 - sd0, 4 - sd1, 5}, doubles(t.get(0), "y"), EPS);
        assertArrayEquals(new double[]{3 + sd0, 4 + sd1, 5}, doubles(t.get(1), "y"), EPS);
    }

    @Test
    void nonFiniteRunsAreLeftOutOfTheMean() {
        Table t = seeds();
        t.doubleColumn("loss").set(2, Double.NaN);
        double[] mean = doubles(LineChart.of(t, "step", "loss").meanOver("run", LineChart.Band.NONE).plot().traces().getFirst(), "y");
        assertEquals(1.5, mean[0], EPS);
    }

    @Test
    void logYSetsTheAxisAndDropsNonPositiveBandEdges() {
        Table t = seeds();
        t.doubleColumn("loss").set(0, 0.1);
        t.doubleColumn("loss").set(1, 0.2);
        t.doubleColumn("loss").set(2, 9.0); // mean 3.1, sd 4.2: the lower edge at step 0 is negative
        Figure f = Figure.of("log", LineChart.of(t, "step", "loss").series("lr").meanOver("run", LineChart.Band.STD).logY().plot());
        JsonObject fig = parse(f);
        assertEquals("log", fig.getAsJsonObject("layout").getAsJsonObject("yaxis").get("type").getAsString());
        assertFalse(fig.getAsJsonObject("layout").getAsJsonObject("xaxis").has("type"), "x stays linear");
        JsonArray lower = fig.getAsJsonArray("data").get(0).getAsJsonObject().getAsJsonArray("y");
        assertTrue(lower.get(0).isJsonNull(), "a negative edge cannot be drawn on a log axis: left out");
        assertEquals(4 - Math.sqrt(8 / 3.0), lower.get(1).getAsDouble(), 1e-9, "a positive edge is kept");
    }

    @Test
    void plainLinesAreSortedByX() {
        Table t = Table.create("t", IntColumn.create("step", 2, 0, 1), DoubleColumn.create("loss", 0.2, 1.0, 0.5));
        Map<String, Object> line = LineChart.of(t, "step", "loss").plot().traces().getFirst();
        assertArrayEquals(new double[]{0, 1, 2}, doubles(line, "x"), EPS);
        assertArrayEquals(new double[]{1.0, 0.5, 0.2}, doubles(line, "y"), EPS);
    }

    @Test
    void numericSeriesAreOrderedByValue() {
        Table t = Table.create("t", IntColumn.create("step", 0, 0, 0), DoubleColumn.create("lr", 0.1, 0.001, 0.01), DoubleColumn.create("loss", 1, 2, 3));
        List<Object> names = LineChart.of(t, "step", "loss").series("lr").plot().traces().stream().map(m -> m.get("name")).toList();
        assertEquals(3, names.size());
        assertEquals(List.of("learning rate 1e-3", "learning rate 0.01", "learning rate 0.1"), names, "the column's label and the value, written compactly");
    }

    @Test
    void heatmapRowsAreYAndColumnsAreX() {
        double[][] z = {{1, 2, 3}, {4, 5, 6}};
        Plot p = Heatmap.of(z).xTitle("slot").yTitle("time").rowsTopDown().plot();
        JsonObject fig = parse(Figure.of("attn", p));
        JsonObject trace = fig.getAsJsonArray("data").get(0).getAsJsonObject();
        assertEquals("heatmap", trace.get("type").getAsString());
        assertEquals(3, trace.getAsJsonArray("x").size(), "one x label per column");
        assertEquals(2, trace.getAsJsonArray("y").size(), "one y label per row");
        assertEquals(3.0, trace.getAsJsonArray("z").get(0).getAsJsonArray().get(2).getAsDouble(), "z[row][column] kept as given");
        assertEquals(4.0, trace.getAsJsonArray("z").get(1).getAsJsonArray().get(0).getAsDouble());
        JsonObject layout = fig.getAsJsonObject("layout");
        assertEquals("reversed", layout.getAsJsonObject("yaxis").get("autorange").getAsString());
        assertEquals("time", layout.getAsJsonObject("yaxis").getAsJsonObject("title").get("text").getAsString());
    }

    @Test
    void heatmapLogColour() {
        double[][] z = {{1e-3, 1e-1}, {1, 0}};
        JsonObject trace = parse(Figure.of("attn", Heatmap.of(z).logColor().plot())).getAsJsonArray("data").get(0).getAsJsonObject();
        JsonArray row0 = trace.getAsJsonArray("z").get(0).getAsJsonArray();
        assertEquals(-3, row0.get(0).getAsDouble(), 1e-9);
        assertEquals(-1, row0.get(1).getAsDouble(), 1e-9);
        assertTrue(trace.getAsJsonArray("z").get(1).getAsJsonArray().get(1).isJsonNull(), "0 has no log: blank");
        assertEquals(4, trace.getAsJsonObject("colorbar").getAsJsonArray("tickvals").size(), "ticks at 1e-3 .. 1e0");
        assertEquals("1e-3", trace.getAsJsonObject("colorbar").getAsJsonArray("ticktext").get(0).getAsString());
        assertEquals(0.1, trace.getAsJsonArray("customdata").get(0).getAsJsonArray().get(1).getAsDouble(), 1e-12, "hover shows the value");
    }

    @Test
    void heatmapFixedColourRange() {
        JsonObject trace = parse(Figure.of("shares", Heatmap.of(new double[][]{{0, 0}}).range(0, 1).plot())).getAsJsonArray("data").get(0).getAsJsonObject();
        assertEquals(0, trace.get("zmin").getAsDouble());
        assertEquals(1, trace.get("zmax").getAsDouble());
        assertFalse(parse(Figure.of("free", Heatmap.of(new double[][]{{0, 1}}).plot())).getAsJsonArray("data").get(0).getAsJsonObject().has("zmin"));
        assertThrows(IllegalArgumentException.class, () -> Heatmap.of(new double[][]{{0}}).range(1, 1));
    }

    @Test
    void heatmapLabelsItsEmptyCells() {
        double nan = Double.NaN;
        var data = parse(Figure.of("steps", Heatmap.of(new double[][]{{nan, 5}, {7, nan}}).xLabels(List.of("a", "b")).yLabels(List.of("p", "q"))
                .missing("none converged").plot())).getAsJsonArray("data");
        assertEquals(2, data.size(), "the heatmap and one text trace");
        JsonObject text = data.get(1).getAsJsonObject();
        assertEquals("text", text.get("mode").getAsString());
        assertEquals("[\"a\",\"b\"]", text.get("x").toString(), "the NaN cells' columns");
        assertEquals("[\"p\",\"q\"]", text.get("y").toString(), "the NaN cells' rows");
        assertEquals("none converged", text.getAsJsonArray("text").get(1).getAsString());
        JsonObject layout = parse(Figure.of("empty", Heatmap.of(new double[][]{{nan, nan, nan}}).missing("none").plot())).getAsJsonObject("layout");
        assertEquals("[-0.5,2.5]", layout.getAsJsonObject("xaxis").get("range").toString(), "the cells' extent, not the labels' centres");
        JsonObject down = parse(Figure.of("down", Heatmap.of(new double[][]{{nan}, {nan}}).rowsTopDown().missing("none").plot())).getAsJsonObject("layout").getAsJsonObject("yaxis");
        assertEquals("[1.5,-0.5]", down.get("range").toString(), "row 0 still at the top");
        assertFalse(down.has("autorange"), "an autorange would override the range");
        // no NaN cell, or no label asked for: the heatmap alone
        assertEquals(1, parse(Figure.of("full", Heatmap.of(new double[][]{{1, 2}}).missing("none").plot())).getAsJsonArray("data").size());
        assertEquals(1, parse(Figure.of("plain", Heatmap.of(new double[][]{{nan, 2}}).plot())).getAsJsonArray("data").size());
        assertThrows(IllegalArgumentException.class, () -> Heatmap.of(new double[][]{{1}}).missing(" "));
    }

    @Test
    void heatmapRejectsRaggedRows() {
        assertThrows(IllegalArgumentException.class, () -> Heatmap.of(new double[][]{{1, 2}, {3}}));
    }

    static Table sweep() {
        return Table.create("sweep",
                DoubleColumn.create("lr", 0.1, 0.1, 0.1, 0.01, 0.1, 0.01),
                DoubleColumn.create("clip", 1, 1, 1, 1, 10, 1),
                StringColumn.create("outcome", "diverged", "stable", "diverged", "stable", "diverged", "stable"),
                StringColumn.create("opt", "adam", "adam", "adam", "adam", "sgd", "sgd"));
    }

    @Test
    void phaseGridColoursOutcomesByMajority() {
        Plot p = PhaseGrid.of(sweep(), "lr", "clip", "outcome").plot();
        Map<String, Object> cells = p.traces().getFirst();
        assertEquals(List.of("0.01", "0.1"), ((List<?>) cells.get("x")).stream().map(o -> o.toString().replaceAll("0+$", "")).toList());
        List<?> z = (List<?>) cells.get("z");
        int diverged = 0, stable = 1; // outcomes in order of first appearance
        assertEquals(stable, ((List<?>) z.get(0)).get(0), "lr 0.01, clip 1: stable");
        assertEquals(diverged, ((List<?>) z.get(0)).get(1), "lr 0.1, clip 1: 2 of 3 diverged");
        assertEquals(diverged, ((List<?>) z.get(1)).get(1), "lr 0.1, clip 10");
        assertEquals(null, ((List<?>) z.get(1)).get(0), "no run at lr 0.01, clip 10");
        assertEquals("diverged (2/3)", ((List<?>) ((List<?>) cells.get("text")).get(0)).get(1));
        assertEquals(-0.5, cells.get("zmin"));
        assertEquals(1.5, cells.get("zmax"));
        List<?> scale = (List<?>) cells.get("colorscale");
        assertEquals(List.of(0.0, "#d62728"), scale.get(0));
        assertEquals(List.of(0.5, "#d62728"), scale.get(1));
        assertEquals(List.of(0.5, "#2ca02c"), scale.get(2));
        assertEquals(List.of(1.0, "#2ca02c"), scale.get(3));
        assertEquals(3, p.traces().size(), "cells and one legend entry per outcome");
        assertEquals("category", p.xAxis().get("type"));
    }

    @Test
    void phaseGridFacets() {
        List<Plot> plots = PhaseGrid.of(sweep(), "lr", "clip", "outcome").facet("opt").plots();
        assertEquals(2, plots.size());
        assertEquals("opt = adam", plots.get(0).title());
        assertEquals(3, plots.get(0).traces().size());
        assertEquals(1, plots.get(1).traces().size(), "the legend is on the first panel only");
        assertThrows(IllegalStateException.class, () -> PhaseGrid.of(sweep(), "lr", "clip", "outcome").facet("opt").plot());
    }

    /** Two-line panel titles under a two-line figure title: the top margin leaves room for both (they touched in dil-gradflow). */
    @Test
    void wrappedTitlesGetTheirOwnLines() {
        String longTitle = "Gradient reaching the memory path vs the controller, and saturation (mean and min–max over seeds)";
        Plot a = LineChart.of(seeds(), "step", "loss").series("lr").title("strong controller, bypass: gradient norm per path").plot();
        Plot b = LineChart.of(seeds(), "step", "loss").series("lr").title("hamstrung controller: gradient norm per path").plot();
        Plot c = LineChart.of(seeds(), "step", "loss").series("lr").title("softmax saturation (weights < 1e-3 or > 1 − 1e-3)").plot();
        JsonObject both = parse(Figure.grid("t", 3, a, b, c).title(longTitle)).getAsJsonObject("layout");
        assertTrue(both.getAsJsonObject("title").get("text").getAsString().contains("<br>"), "figure title on two lines");
        assertTrue(both.getAsJsonArray("annotations").get(1).getAsJsonObject().get("text").getAsString().contains("<br>"), "panel title on two lines");
        Plot s = LineChart.of(seeds(), "step", "loss").series("lr").title("A").plot();
        JsonObject figureOnly = parse(Figure.grid("t", 3, s, s, s).title(longTitle)).getAsJsonObject("layout");
        int gap = both.getAsJsonObject("margin").get("t").getAsInt() - figureOnly.getAsJsonObject("margin").get("t").getAsInt();
        assertTrue(gap >= 30, "a second panel-title line needs about 30 px more, got " + gap);
    }

    @Test
    void gridPanelsGetTheirOwnAxes() {
        Plot a = LineChart.of(seeds(), "step", "loss").series("lr").title("A").plot();
        Plot b = LineChart.of(seeds(), "step", "loss").series("lr").title("B").plot();
        Plot c = Heatmap.of(new double[][]{{1, 2}}).title("C").plot();
        JsonObject fig = parse(Figure.grid("panels", 2, a, b, c).title("All"));
        JsonObject layout = fig.getAsJsonObject("layout");
        JsonArray data = fig.getAsJsonArray("data");
        assertEquals("x2", data.get(1).getAsJsonObject().get("xaxis").getAsString());
        assertEquals("y3", data.get(2).getAsJsonObject().get("yaxis").getAsString());
        assertEquals("y2", layout.getAsJsonObject("xaxis2").get("anchor").getAsString());
        JsonArray d1 = layout.getAsJsonObject("xaxis").getAsJsonArray("domain"), d2 = layout.getAsJsonObject("xaxis2").getAsJsonArray("domain");
        assertEquals(0, d1.get(0).getAsDouble(), EPS);
        assertEquals(1, d2.get(1).getAsDouble(), EPS);
        assertTrue(d1.get(1).getAsDouble() < d2.get(0).getAsDouble(), "side by side, with a gap");
        JsonArray y3 = layout.getAsJsonObject("yaxis3").getAsJsonArray("domain");
        assertEquals(0, y3.get(0).getAsDouble(), EPS, "third panel on the second row, at the bottom");
        assertEquals(3, layout.getAsJsonArray("annotations").size(), "panel titles");
        assertEquals("All", layout.getAsJsonObject("title").get("text").getAsString(), "title as an object, as Plotly expects");
        assertFalse(data.get(1).getAsJsonObject().get("showlegend").getAsBoolean(), "series 'a' is in the legend once");
        JsonObject bar = data.get(2).getAsJsonObject().getAsJsonObject("colorbar");
        assertEquals(layout.getAsJsonObject("xaxis3").getAsJsonArray("domain").get(1).getAsDouble() + 0.01, bar.get("x").getAsDouble(), EPS);
    }

    @Test
    void singlePlotTitleBecomesTheFigureTitle() {
        JsonObject layout = parse(Figure.of("one", LineChart.of(seeds(), "step", "loss").title("Loss").plot())).getAsJsonObject("layout");
        assertEquals("Loss", layout.getAsJsonObject("title").get("text").getAsString());
        assertEquals(0, layout.getAsJsonArray("annotations").size());
    }

    static final Pattern EXTERNAL_SCRIPT = Pattern.compile("<script[^>]*\\bsrc\\s*=", Pattern.CASE_INSENSITIVE);

    @Test
    void savedHtmlIsOfflineAndGuarded() {
        String html = Figure.of("offline", LineChart.of(seeds(), "step", "loss").plot()).html();
        assertFalse(EXTERNAL_SCRIPT.matcher(html).find(), "no <script src=...>");
        assertTrue(html.contains("plotly.js v" + PlotlyJs.VERSION), "the bundle is inlined");
        assertEquals(1, html.split(Pattern.quote("plotly.js v" + PlotlyJs.VERSION), -1).length - 1, "once");
        assertTrue(html.contains("(function (define, module, exports) {"), "AMD hidden while the bundle runs");
        assertTrue(html.contains("window.Plotly"));
    }

    static final Pattern SCRIPT_SRC = Pattern.compile("<script[^>]*\\bsrc\\s*=\\s*\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);

    /** Saved figures load one local copy of Plotly.js from their folder: no network, and 10 MB once rather than per figure. */
    @Test
    void savedFiguresShareOneLocalPlotly(@TempDir Path dir) throws IOException {
        Path a = Figure.of("first", LineChart.of(seeds(), "step", "loss").plot()).save(dir);
        Path b = Figure.of("second", LineChart.of(seeds(), "step", "loss").plot()).save(dir);
        for (Path page : List.of(a, b)) {
            String html = Files.readString(page);
            var m = SCRIPT_SRC.matcher(html);
            assertTrue(m.find(), "loads Plotly.js from a file");
            assertEquals(PlotlyJs.FILE, m.group(1), "a file beside the page, not a URL");
            assertFalse(m.find(), "one script file only");
            assertTrue(Files.size(page) < 200_000, "the page itself is small: " + Files.size(page));
        }
        Path js = dir.resolve(PlotlyJs.FILE);
        String bundle = Files.readString(js);
        assertTrue(bundle.contains("plotly.js v" + PlotlyJs.VERSION) && bundle.contains("(function (define, module, exports) {"), "the guarded bundle");
        try (var files = Files.list(dir)) {
            assertEquals(1, files.filter(f -> f.getFileName().toString().endsWith(".js")).count(), "written once for the folder");
        }
    }

    @Test
    void notebookHtmlUsesThePagePlotly() {
        Figure f = Figure.of("nb", LineChart.of(seeds(), "step", "loss").plot());
        String out = f.notebookHtml();
        assertTrue(out.length() < 20_000, "no bundle in each output: " + out.length() + " chars");
        assertFalse(EXTERNAL_SCRIPT.matcher(out).find());
        assertTrue(out.contains("window.Plotly"));
        assertFalse(f.notebookHtml().equals(out), "each output draws into its own element");
    }

    @Test
    void textIsEscapedForScripts() {
        Table t = seeds();
        String json = Figure.of("esc", LineChart.of(t, "step", "loss").title("a </script><b>\"q\"").plot()).json();
        assertFalse(json.contains("</script"), json);
        assertEquals("a </script><b>\"q\"", JsonParser.parseString(json).getAsJsonObject().getAsJsonObject("layout")
                .getAsJsonObject("title").get("text").getAsString());
    }

    @Test
    void jsonWritesNonFiniteAsNull() {
        assertEquals("[1,null,null,0.5]", Json.of(new double[]{1, Double.NaN, Double.POSITIVE_INFINITY, 0.5}));
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("a", List.of(1, 2));
        m.put("b", true);
        m.put("c", null);
        assertEquals("{\"a\":[1,2],\"b\":true,\"c\":null}", Json.of(m));
    }

    @Test
    void tablesawFiguresAreWrapped() {
        Table t = seeds();
        Figure f = Figure.of("ts", LinePlot.create("ts", t, "step", "loss"));
        String out = f.notebookHtml();
        assertTrue(out.contains("Plotly.newPlot"), out);
        assertFalse(out.contains("<script><script>"), out);
        assertFalse(EXTERNAL_SCRIPT.matcher(out).find());
        assertThrows(IllegalStateException.class, f::json);
    }

    @Test
    void idMustBeAFileName() {
        assertThrows(IllegalArgumentException.class, () -> Figure.of("../x", LineChart.of(seeds(), "step", "loss").plot()));
    }

    @Test
    void unknownColumnIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LineChart.of(seeds(), "step", "los"));
        assertTrue(e.getMessage().contains("'los'") && e.getMessage().contains("loss"), e.getMessage());
    }
}
