package memlab.plot;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Renders figures with headless Chromium and checks the lines are really drawn, in a saved page and
 * in an nbconvert-like page that loads RequireJS first. Skipped without Chromium, unless
 * {@code MEMLAB_REQUIRE_CHROMIUM=1}, when a missing browser fails.
 */
class RenderCheckTest {
    /** Distinctive trace colours, found by exact colour in the screenshot. */
    static final String MAGENTA = "#e6008a", TEAL = "#00a0a0";
    /** The real RequireJS of Debian's libjs-requirejs, when installed. */
    static final Path REQUIRE_JS = Path.of("/usr/share/javascript/requirejs/require.js");

    @TempDir
    static Path dir;

    @BeforeEach
    void needChromium() {
        if (Chromium.available()) return;
        if ("1".equals(System.getenv("MEMLAB_REQUIRE_CHROMIUM"))) fail("MEMLAB_REQUIRE_CHROMIUM=1 but no chromium on the PATH");
        assumeTrue(false, "no chromium on the PATH: render checks skipped");
    }

    static Figure lineFigure(String id, String color) {
        Table t = Table.create("t", IntColumn.create("step", 0, 1, 2, 3, 4, 5),
                DoubleColumn.create("loss", 1.0, 0.5, 0.3, 0.2, 0.15, 0.1), StringColumn.create("name", "check", "check", "check", "check", "check", "check"));
        return Figure.of(id, LineChart.of(t, "step", "loss").series("name").color("check", color).logY().plot()).size(800, 500);
    }

    /** A page like nbconvert's HTML export: RequireJS in the head, then the cell outputs. */
    static String requireJsPage(String outputs) throws IOException {
        String require = Files.exists(REQUIRE_JS) ? Files.readString(REQUIRE_JS)
                : "window.define = function (deps, factory) { window.__amdModules = (window.__amdModules || 0) + 1; }; window.define.amd = {};";
        return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><script>" + require + "</script>\n"
                + "<script>if (typeof define !== 'function' || !define.amd) document.title = 'NO AMD';</script></head>\n"
                + "<body>\n" + outputs + "</body></html>\n";
    }

    static RenderCheck.Result check(String name, String html) throws IOException {
        Path page = dir.resolve(name + ".html");
        Files.writeString(page, html);
        RenderCheck.Result r = RenderCheck.check(page, 900, 1200, RenderCheck.MIN_PIXELS);
        System.out.println("RenderCheck " + r);
        return r;
    }

    @Test
    void savedFigureIsDrawn() {
        Path html = lineFigure("saved", MAGENTA).save(dir);
        RenderCheck.Result r = RenderCheck.check(html);
        System.out.println("RenderCheck " + r);
        assertTrue(r.drawn(), r.toString());
        assertTrue(RenderCheck.pixelsNear(RenderCheck.read(r.png()), MAGENTA, 40) > 300, "the magenta line is drawn");
    }

    /** The PNG is drawn from a page that loads Plotly.js from the file beside it, as saved pages do, at 2 device pixels per pixel. */
    @Test
    void savedPngIsDrawn() {
        Path png = lineFigure("saved-png", MAGENTA).savePng(dir);
        var img = RenderCheck.read(png);
        assertTrue(RenderCheck.pixelsNear(img, MAGENTA, 40) > 300, "the magenta line is in the PNG");
        assertEquals(2 * 800, img.getWidth(), "2x");
        assertEquals(2 * 500, img.getHeight(), "2x");
        assertFalse(java.nio.file.Files.exists(dir.resolve("saved-png.png.html")), "the drawing page is removed");
    }

    @Test
    void notebookOutputsAreDrawnUnderRequireJs() throws IOException {
        // first output loads Plotly (as Notebook.plotlyOnce() does in a kernel), the second uses window.Plotly
        String outputs = "<div class=\"output\">" + PlotlyJs.inlineScript() + lineFigure("first", MAGENTA).notebookHtml() + "</div>\n"
                + "<div class=\"output\">" + lineFigure("second", TEAL).notebookHtml() + "</div>\n";
        RenderCheck.Result r = check("nbconvert-guarded", requireJsPage(outputs));
        assertTrue(r.drawn(), r.toString());
        var img = RenderCheck.read(r.png());
        assertTrue(RenderCheck.pixelsNear(img, MAGENTA, 40) > 300, "first figure drawn");
        assertTrue(RenderCheck.pixelsNear(img, TEAL, 40) > 300, "second figure drawn with the first one's Plotly");
    }

    /**
     * An nbconvert export of a notebook run by {@code bin/memlab reproduce}: the page sits beside the
     * folder of the notebook's figures, where the kernel wrote the bundle; its first output is the
     * small loader (not the bundle), and the figure is still drawn, under RequireJS.
     */
    @Test
    void exportedNotebookLoadsPlotlyFromTheFiguresFolder() throws IOException {
        Path figures = dir.resolve("01-nb");
        PlotlyJs.write(figures);
        String loader = PlotlyJs.loaderScript(null, List.of(PlotlyJs.FILE, "01-nb/" + PlotlyJs.FILE));
        assertTrue(loader.length() < 5_000, "the saved output holds a small loader: " + loader.length());
        String outputs = "<div class=\"output\">" + loader + "</div>\n<div class=\"output\">" + lineFigure("exported", MAGENTA).notebookHtml() + "</div>\n";
        RenderCheck.Result r = check("exported-notebook", requireJsPage(outputs));
        assertTrue(RenderCheck.pixelsNear(RenderCheck.read(r.png()), MAGENTA, 40) > 300, "drawn with the bundle of the figures' folder: " + r);
    }

    /**
     * In Jupyter the notebook's page is {@code <base>/lab/tree/<folder>/<name>.ipynb} (or
     * {@code /notebooks/...}) and the file beside the notebook is served at
     * {@code <base>/files/<folder>/}: a local server with that layout, the loader's only candidates
     * Jupyter's, and the figure is drawn.
     */
    @Test
    void loaderFindsThePlotlyJupyterServesBesideTheNotebook() throws IOException {
        Path root = dir.resolve("jupyter-root");
        PlotlyJs.write(root.resolve("files/notebooks"));
        Path page = root.resolve("lab/tree/notebooks/nb.html");
        Files.createDirectories(page.getParent());
        String outputs = "<div class=\"output\">" + PlotlyJs.loaderScript(null, List.of()) + "</div>\n<div class=\"output\">"
                + lineFigure("served", TEAL).notebookHtml() + "</div>\n";
        Files.writeString(page, requireJsPage(outputs));
        var server = com.sun.net.httpserver.SimpleFileServer.createFileServer(new java.net.InetSocketAddress("127.0.0.1", 0), root,
                com.sun.net.httpserver.SimpleFileServer.OutputLevel.NONE);
        server.start();
        try {
            Path png = dir.resolve("served.png");
            Chromium.screenshot("http://127.0.0.1:" + server.getAddress().getPort() + "/lab/tree/notebooks/nb.html", png, 900, 1200, 1);
            assertTrue(RenderCheck.pixelsNear(RenderCheck.read(png), TEAL, 40) > 300, "drawn with the bundle from /files/notebooks/");
        } finally {
            server.stop(0);
        }
    }

    /**
     * The notebooks' figures drawn (a few always; all, kept for viewing, with
     * {@code -Dmemlab.preview=DIR}): each draws coloured pixels and has words on its axes.
     */
    @Test
    void notebookFiguresAreDrawn() throws IOException {
        String preview = System.getProperty("memlab.preview");
        Path out = preview == null ? dir.resolve("preview") : Path.of(preview);
        for (var e : NotebookFigures.all().entrySet()) {
            if (preview == null && !List.of("egl-loss", "eph-configs").contains(e.getKey())) continue;
            Path png = e.getValue().savePng(out);
            long coloured = RenderCheck.colouredPixels(RenderCheck.read(png));
            System.out.println("RenderCheck " + png + ": " + coloured + " coloured pixels");
            assertTrue(coloured > RenderCheck.MIN_PIXELS, e.getKey() + " is drawn");
            assertEquals(List.of(), RenderCheck.rawAxisTitles(out.resolve(e.getKey() + ".html")), e.getKey());
        }
    }

    @Test
    void unguardedBundleUnderRequireJsIsDetectedAsBlank() throws IOException {
        // the RequireJS trap: a plain <script> bundle registers as an AMD module, window.Plotly stays unset
        String outputs = "<script>" + PlotlyJs.source() + "</script>\n" + lineFigure("unguarded", MAGENTA).notebookHtml();
        RenderCheck.Result r = check("nbconvert-unguarded", requireJsPage(outputs));
        assertFalse(r.drawn(), "the checker must see the blank figure: " + r);
    }

    @Test
    void pageWithoutChartIsBlank() throws IOException {
        RenderCheck.Result r = check("no-chart", "<!DOCTYPE html><html><body><h1>No chart here</h1><p>Just text.</p></body></html>");
        assertFalse(r.drawn(), r.toString());
    }
}
