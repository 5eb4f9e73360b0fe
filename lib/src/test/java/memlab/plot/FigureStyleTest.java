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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a reader sees: words on the axes, numbers as a person writes them, legends that tell series apart, sizes that fit. */
class FigureStyleTest {
    static JsonObject parse(Figure f) {
        return JsonParser.parseString(f.json()).getAsJsonObject();
    }

    static JsonObject layout(Figure f) {
        return parse(f).getAsJsonObject("layout");
    }

    static String axisTitle(JsonObject layout, String axis) {
        return layout.getAsJsonObject(axis).getAsJsonObject("title").get("text").getAsString();
    }

    @Test
    void numbersAreWrittenCompactly() {
        assertEquals("1e-4", Format.number(1.0E-4));
        assertEquals("3e-4", Format.number(3e-4));
        assertEquals("2.5e-4", Format.number(2.5e-4));
        assertEquals("1e4", Format.number(10000.0));
        assertEquals("1e5", Format.number(1e5));
        assertEquals("0.5", Format.number(0.5000000001));
        assertEquals("0.01", Format.number(0.01));
        assertEquals("3", Format.number(3.0));
        assertEquals("1234", Format.number(1234), "counts stay exact");
        assertEquals("1.25", Format.number(1.25));
        assertEquals("-0.333", Format.number(-1 / 3.0));
        assertEquals("0", Format.number(0));
        assertEquals("NaN", Format.number(Double.NaN));
        assertEquals("1e-4", Format.label("1.0E-4"));
        assertEquals("1e4", Format.label("10000.0"));
        assertEquals("clip 1, lr 1e-4", Format.label("clip 1.0, lr 1.0E-4"), "numbers inside a label");
        assertEquals("link on", Format.label("link on"));
        assertEquals("Adam 5e-4 (authors' scripts)", Format.label("Adam 5e-4 (authors' scripts)"), "already compact: unchanged");
        assertEquals("v1.0.2", Format.label("v1.0.2"), "not a number");
    }

    @Test
    void axesAreTitledInWordsUnlessTheCallerSays() {
        Table t = Table.create("t", IntColumn.create("epoch", 0, 1, 2), DoubleColumn.create("link_grad_norm", 1, 2, 3));
        JsonObject l = layout(Figure.of("a", LineChart.of(t, "epoch", "link_grad_norm").plot()));
        assertEquals("epoch", axisTitle(l, "xaxis"));
        assertEquals("linked read-gradient norm", axisTitle(l, "yaxis"));
        JsonObject own = layout(Figure.of("b", LineChart.of(t, "epoch", "link_grad_norm").xTitle("training epoch").yTitle("‖∂L/∂o‖").plot()));
        assertEquals("training epoch", axisTitle(own, "xaxis"));
        assertEquals("‖∂L/∂o‖", axisTitle(own, "yaxis"));
        Table u = Table.create("u", IntColumn.create("step", 0, 1, 2), DoubleColumn.create("some_new_metric", 1, 2, 3));
        assertEquals("some new metric", axisTitle(layout(Figure.of("c", LineChart.of(u, "step", "some_new_metric").plot())), "yaxis"),
                "an unregistered column: no snake_case on the axis");
        Labels.put("some_new_metric", "a new metric (units)");
        assertEquals("a new metric (units)", axisTitle(layout(Figure.of("d", LineChart.of(u, "step", "some_new_metric").plot())), "yaxis"));
    }

    @Test
    void logSpacedGridsGetLogAxesWithCompactTicks() {
        assertTrue(LineChart.isLogGrid(new double[]{1e-4, 3e-4, 1e-3, 3e-3}));
        assertTrue(LineChart.isLogGrid(new double[]{0.01, 0.1, 1, 10, 100}));
        assertFalse(LineChart.isLogGrid(new double[]{1.25, 1.5, 2, 3}), "ratios below 2: linear");
        assertFalse(LineChart.isLogGrid(new double[]{0, 1, 2, 3}), "not all positive");
        assertFalse(LineChart.isLogGrid(new double[]{1, 10}), "two values are no grid");
        assertFalse(LineChart.isLogGrid(new double[]{1, 2, 100}), "uneven steps");
        JsonObject x = layout(NotebookFigures.all().get("egl-stability-loss")).getAsJsonObject("xaxis");
        assertEquals("log", x.get("type").getAsString());
        assertEquals("learning rate", x.getAsJsonObject("title").get("text").getAsString());
        assertEquals(List.of("1e-4", "3e-4", "1e-3", "3e-3"), strings(x.getAsJsonArray("ticktext")));
        JsonObject clip = layout(NotebookFigures.all().get("eph-clip"));
        assertEquals("log", clip.getAsJsonObject("xaxis").get("type").getAsString());
        assertEquals(List.of("0.01", "0.1", "1", "10", "100"), strings(clip.getAsJsonObject("xaxis").getAsJsonArray("ticktext")));
        Table steps = Table.create("s", IntColumn.create("step", 1, 2, 4, 8), DoubleColumn.create("loss", 1, 2, 3, 4));
        assertFalse(layout(Figure.of("e", LineChart.of(steps, "step", "loss").logX(false).plot())).getAsJsonObject("xaxis").has("type"), "the caller can say linear");
    }

    /** eph-clip's share of stable runs was 0 everywhere, and Plotly drew the constant on an axis from -1 to 1. */
    @Test
    void shareAxesRunFromZeroToOne() {
        JsonObject l = layout(NotebookFigures.all().get("eph-clip"));
        for (String axis : List.of("yaxis", "yaxis2")) {
            JsonArray range = l.getAsJsonObject(axis).getAsJsonArray("range");
            assertEquals(-0.02, range.get(0).getAsDouble(), 1e-12, axis);
            assertEquals(1.02, range.get(1).getAsDouble(), 1e-12, axis);
        }
        assertEquals("share of stable runs", axisTitle(l, "yaxis"));
        JsonObject warn = layout(NotebookFigures.all().get("eph-warning"));
        assertEquals("hit rate / false-alarm rate", axisTitle(warn, "yaxis"),
                "a long-format 'value' is titled by what its series hold");
        assertTrue(warn.getAsJsonObject("yaxis").has("range"), "both are shares");
    }

    @Test
    void singleSeriesPanelsHaveNoLegend() {
        JsonObject fig = parse(NotebookFigures.all().get("egl-gradnorm"));
        for (JsonElement t : fig.getAsJsonArray("data"))
            assertFalse(t.getAsJsonObject().get("showlegend").getAsBoolean(), "no legend entry: " + t.getAsJsonObject().get("name"));
        assertFalse(fig.getAsJsonObject("layout").get("showlegend").getAsBoolean());
    }

    @Test
    void coincidingSeriesStayDistinguishable() {
        JsonObject fig = parse(NotebookFigures.all().get("egl-loss"));
        List<JsonObject> lines = new ArrayList<>(), bands = new ArrayList<>();
        for (JsonElement e : fig.getAsJsonArray("data")) {
            JsonObject t = e.getAsJsonObject();
            if (!"x".equals(t.get("xaxis").getAsString())) continue;   // first panel
            (t.has("hoverinfo") ? bands : lines).add(t);
        }
        assertEquals(2, lines.size());
        assertEquals(4, bands.size());
        JsonArray data = fig.getAsJsonArray("data");
        int lastBand = -1, firstLine = Integer.MAX_VALUE;
        for (int i = 0; i < data.size(); i++) {
            JsonObject t = data.get(i).getAsJsonObject();
            if (!"x".equals(t.get("xaxis").getAsString())) continue;
            if (t.has("hoverinfo")) lastBand = i;
            else firstLine = Math.min(firstLine, i);
        }
        assertTrue(lastBand < firstLine, "every band is drawn under every line");
        JsonObject a = lines.get(0).getAsJsonObject("line"), b = lines.get(1).getAsJsonObject("line");
        assertNotEquals(a.get("dash").getAsString(), b.get("dash").getAsString(), "own dash");
        assertTrue(a.get("width").getAsDouble() > b.get("width").getAsDouble(), "the line drawn first is wider, so it shows under the next");
        assertNotEquals(lines.get(0).getAsJsonObject("marker").get("symbol").getAsString(), lines.get(1).getAsJsonObject("marker").get("symbol").getAsString());
        assertNotEquals(a.get("color").getAsString(), b.get("color").getAsString());
        String fill = bands.get(1).get("fillcolor").getAsString();
        assertTrue(fill.startsWith("rgba(") && fill.endsWith(",0.12)"), "a faint fill of the series' own colour: " + fill);
    }

    @Test
    void legendEntriesNeverShareAColour() {
        Table t = Table.create("t", IntColumn.create("epoch", 0, 1, 2), DoubleColumn.create("loss", 1, 2, 3), DoubleColumn.create("grad_norm", 3, 2, 1));
        Figure f = Figure.of("two", LineChart.of(t, "epoch", "loss").legend(true).plot(), LineChart.of(t, "epoch", "grad_norm").legend(true).plot());
        Set<String> colours = new HashSet<>();
        for (JsonElement e : parse(f).getAsJsonArray("data")) colours.add(e.getAsJsonObject().getAsJsonObject("line").get("color").getAsString());
        assertEquals(2, colours.size(), "two entries, two colours: " + colours);
    }

    @Test
    void colourPinsMatchAPaper() {
        JsonObject fig = parse(NotebookFigures.all().get("eph-separation"));
        int checked = 0;
        for (JsonElement e : fig.getAsJsonArray("data")) {
            JsonObject t = e.getAsJsonObject();
            if (t.has("hoverinfo")) continue;
            String want = t.get("name").getAsString().startsWith("high") ? "#d62728" : "#1f77b4";
            assertEquals(want, t.getAsJsonObject("line").get("color").getAsString(), t.get("name").getAsString());
            checked++;
        }
        assertEquals(4, checked, "both panels");
        Table t = Table.create("t", IntColumn.create("step", 0, 1, 0, 1), StringColumn.create("w", "a", "a", "b", "b"), DoubleColumn.create("loss", 1, 2, 3, 4));
        List<Map<String, Object>> traces = LineChart.of(t, "step", "loss").series("w").color("b", "#000000").plot().traces();
        assertEquals("#000000", ((Map<?, ?>) traces.get(1).get("line")).get("color"));
        assertEquals("#1f77b4", ((Map<?, ?>) traces.get(0).get("line")).get("color"));
    }

    @Test
    void figuresFillTheOutputAreaUpToTheirWidth() {
        Figure f = NotebookFigures.all().get("eph-curves");
        JsonObject fig = parse(f);
        assertFalse(fig.getAsJsonObject("layout").has("width"), "no fixed width");
        assertTrue(fig.getAsJsonObject("layout").get("autosize").getAsBoolean());
        assertTrue(fig.getAsJsonObject("config").get("responsive").getAsBoolean());
        assertEquals(Figure.MAX_WIDTH, f.width(), "1400 asked for, 1200 at most");
        String html = f.notebookHtml();
        assertTrue(html.contains("width:100%;max-width:1200px;height:800px"), html.substring(0, 200));
        assertEquals("h", fig.getAsJsonObject("layout").getAsJsonObject("legend").get("orientation").getAsString(), "the legend below the panels, not cut off at the side");
    }

    /** egl-attention asked for 4 columns of heatmaps at 1400 px: in a notebook the fourth was cut off. */
    @Test
    void wideGridsOfHeatmapsGoToMoreRows() {
        Figure f = NotebookFigures.all().get("egl-attention");
        assertEquals(2, f.columns(), "4 heatmaps of 250 px do not fit 1000 px: 2 per row, write and read side by side");
        assertEquals(1600, f.height(), "4 rows as high as the 2 asked for");
        JsonObject l = layout(f);
        double right = l.getAsJsonObject("xaxis2").getAsJsonArray("domain").get(1).getAsDouble();
        assertEquals(1.0, right, 1e-9, "the second map ends the row");
        assertTrue(l.getAsJsonObject("yaxis8").getAsJsonArray("domain").get(0).getAsDouble() < 1e-9, "the eighth map on the fourth row, at the bottom");
        assertEquals(3, NotebookFigures.all().get("eph-curves").columns(), "line charts of 333 px fit");
    }

    @Test
    void categoryLabelsAreCompact() {
        JsonObject fig = parse(NotebookFigures.all().get("eph-sweep"));
        JsonArray data = fig.getAsJsonArray("data");
        JsonObject cells = data.get(0).getAsJsonObject(), heat = null;
        for (JsonElement e : data) if ("heatmap".equals(e.getAsJsonObject().get("type").getAsString()) && e.getAsJsonObject().has("colorbar")) heat = e.getAsJsonObject();
        assertEquals(List.of("1e-5", "3e-5", "1e-4", "3e-4", "1e-3"), strings(cells.getAsJsonArray("x")));
        assertEquals(List.of("1000", "1e4", "1e5", "1e6", "1e7"), strings(heat.getAsJsonArray("y")), "10000.0 is written 1e4");
        assertEquals("plasticity factor α", axisTitle(fig.getAsJsonObject("layout"), "yaxis"));
        assertEquals("learning rate", axisTitle(fig.getAsJsonObject("layout"), "xaxis"));
    }

    @Test
    void comparisonTableColoursRowsByAgreement() {
        Figure f = NotebookFigures.all().get("eph-configs");
        JsonObject fig = parse(f);
        JsonObject table = fig.getAsJsonArray("data").get(0).getAsJsonObject();
        assertEquals("table", table.get("type").getAsString());
        assertTrue(table.has("domain") && !table.has("xaxis"), "a table has a domain, no axes");
        assertFalse(fig.getAsJsonObject("layout").has("xaxis"));
        List<String> header = strings(table.getAsJsonObject("header").getAsJsonArray("values"));
        assertEquals(List.of("<b>model</b>", "<b>updater</b>", "<b>recurrence</b>", "<b>paper</b>", "<b>ours</b>",
                "<b>paper vs ours</b>", "<b>final accuracy where memory is needed</b>", "<b>share of diverged runs</b>"), header);
        JsonArray values = table.getAsJsonObject("cells").getAsJsonArray("values");
        assertEquals(List.of("agree", "agree", "differ", "agree", "differ", "—"), strings(values.get(5).getAsJsonArray()));
        JsonArray fills = table.getAsJsonObject("cells").getAsJsonObject("fill").getAsJsonArray("color");
        assertEquals(List.of(ComparisonTable.AGREE, ComparisonTable.AGREE, ComparisonTable.DIFFER, ComparisonTable.AGREE, ComparisonTable.DIFFER, ComparisonTable.OPEN),
                strings(fills.get(5).getAsJsonArray()));
        assertEquals(ComparisonTable.DIFFER_TINT, fills.get(0).getAsJsonArray().get(2).getAsString(), "a differing row is tinted red");
        for (JsonElement v : values.get(6).getAsJsonArray()) assertTrue(v.getAsString().length() <= 5, "compact numbers: " + v);
        int headerPx = table.getAsJsonObject("header").get("height").getAsInt() + 4;
        assertTrue(headerPx > ComparisonTable.HEADER_PX, "a header of two lines: its long titles wrap");
        assertEquals(ComparisonTable.FRAME_PX + headerPx + 6 * ComparisonTable.ROW_PX, f.height(), "as high as its header and rows");
    }

    @Test
    void rawColumnNamesAsAxisTitlesAreFound() {
        Table t = Table.create("t", IntColumn.create("epoch", 0, 1, 2), DoubleColumn.create("link_grad_norm", 1, 2, 3), DoubleColumn.create("lr", 1, 2, 3));
        assertEquals(List.of("yaxis: 'link_grad_norm'"), RenderCheck.rawAxisTitles(
                Figure.of("raw", LineChart.of(t, "epoch", "link_grad_norm").yTitle("link_grad_norm").plot()).json(), List.of()));
        assertEquals(List.of("xaxis: 'lr'"), RenderCheck.rawAxisTitles(
                Figure.of("raw", LineChart.of(t, "lr", "link_grad_norm").xTitle("lr").yTitle("norm").plot()).json(), List.of()), "a column with a label of its own");
        assertEquals(List.of("yaxis: 'value'"), RenderCheck.rawAxisTitles(
                Figure.of("raw", LineChart.of(t, "epoch", "lr").yTitle("value").plot()).json(), List.of()), "a generic long-format name");
        assertEquals(List.of(), RenderCheck.rawAxisTitles(
                Figure.of("raw", LineChart.of(t, "epoch", "lr").xTitle("custom").yTitle("rate").plot()).json(), List.of("custom", "epoch")),
                "an unregistered one-word column reads as a word");
        assertTrue(RenderCheck.rawAxisTitles(Figure.of("ok", LineChart.of(t, "epoch", "link_grad_norm").plot()).json(), List.of()).isEmpty());
    }

    /** The check the notebooks' figures must pass: every axis title of every figure in words. */
    @Test
    void theNotebooksFiguresHaveWordsOnTheirAxes() {
        for (Map.Entry<String, Figure> e : NotebookFigures.all().entrySet())
            assertEquals(List.of(), RenderCheck.rawAxisTitles(e.getValue().json(), List.of()), e.getKey());
    }

    @Test
    void savedPagesAreCheckedTooWithTheirCsv(@TempDir Path dir) throws IOException {
        Table t = Table.create("t", IntColumn.create("epoch", 0, 1, 2), DoubleColumn.create("final_loss", 1, 2, 3), DoubleColumn.create("weird", 1, 2, 3));
        Path good = Figure.of("good", LineChart.of(t, "epoch", "final_loss").plot()).data(t).save(dir);
        assertEquals(List.of(), RenderCheck.rawAxisTitles(good));
        Path bad = Figure.of("bad", LineChart.of(t, "epoch", "final_loss").yTitle("final_loss").plot()).data(t).save(dir);
        assertEquals(List.of("yaxis: 'final_loss'"), RenderCheck.rawAxisTitles(bad));
    }

    @Test
    void plotlyFileIsReadableByAll(@TempDir Path dir) throws IOException {
        Path js = PlotlyJs.write(dir);
        Set<PosixFilePermission> p = Files.getPosixFilePermissions(js);
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ), p, "mode 644");
        Files.setPosixFilePermissions(js, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        PlotlyJs.write(dir);
        assertTrue(Files.getPosixFilePermissions(js).contains(PosixFilePermission.OTHERS_READ), "an earlier private copy is made readable");
    }

    static List<String> strings(JsonArray a) {
        List<String> out = new ArrayList<>();
        for (JsonElement e : a) out.add(e.getAsString());
        return out;
    }
}
