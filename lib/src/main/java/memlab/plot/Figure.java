package memlab.plot;

import memlab.core.Params;
import memlab.notebook.Display;
import memlab.notebook.Notebook;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A figure of one or more {@link Plot}s (in a grid), with an id that names its files. It can be
 * shown in a notebook cell ({@link #show()}: the interactive figure and, where Chromium is installed,
 * its PNG in the same output), saved as an HTML page that loads Plotly.js from the file beside it
 * ({@link #save()}), with its data as CSV next to it ({@link #data(Table)}), and saved as PNG at
 * {@value #PNG_SCALE}× with headless Chromium ({@link #savePng()}). Nothing it writes refers to the network.
 *
 * <p>A figure fills the width of its notebook output or page up to its {@link #width()} (at most
 * {@link #MAX_WIDTH}), so nothing is cut off in a narrow notebook; a grid whose panels would be too
 * narrow in a notebook ({@link #NOTEBOOK_WIDTH}) is laid out in more rows. Series colours can be
 * pinned across panels ({@link #color}), e.g. to match a paper's.
 *
 * <pre>{@code
 * Figure.of("egl-loss", LineChart.of(t, "step", "loss").series("lr").logY().plot()).data(t).show();
 * Figure.grid("egl-panels", 2, loss, attention, phase).title("EGL on copy").save();
 * }</pre>
 */
public final class Figure {
    private static final AtomicInteger SHOWN = new AtomicInteger();

    private final String id;
    private final List<Plot> plots;
    private final int columns;
    /** Draws a tablesaw figure into the element with the given id; null for a figure of plots. */
    private final UnaryOperator<String> tablesawScript;
    /** Width of a notebook's output area at a 1280-pixel screen: grids lay out so their panels fit it. */
    public static final int NOTEBOOK_WIDTH = 1000;
    /** Widest a figure is drawn, however wide it was asked for: a page 1280 pixels wide shows it whole. */
    public static final int MAX_WIDTH = 1200;
    /** Narrowest panel of a grid, heatmaps (with their colour bar) and other plots. */
    static final int MIN_HEATMAP_PANEL = 300, MIN_PANEL = 240;
    /** Pixel density of the PNGs: 2 device pixels per CSS pixel, sharp on high-density screens and in print. */
    public static final int PNG_SCALE = 2;

    private String title = "";
    private int width;
    private int height;
    private Table data;
    private final Map<String, String> pins = new LinkedHashMap<>();
    /** The PNG last written by {@link #savePng}, shown beside the interactive figure in a notebook. */
    private Path png;

    private Figure(String id, List<Plot> plots, int columns, UnaryOperator<String> tablesawScript, int width, int height) {
        if (!id.matches("[A-Za-z0-9][A-Za-z0-9._-]*"))
            throw new IllegalArgumentException("figure id '" + id + "' must be a file name: letters, digits, '.', '_', '-'");
        this.id = id;
        this.plots = List.copyOf(plots);
        this.columns = columns;
        this.tablesawScript = tablesawScript;
        this.width = width;
        this.height = height;
    }

    /** A figure with {@code plots} side by side in one row. */
    public static Figure of(String id, Plot... plots) {
        return grid(id, Math.max(1, plots.length), List.of(plots));
    }

    /** A figure with {@code plots} in a grid of {@code columns} columns, filled row by row. */
    public static Figure grid(String id, int columns, Plot... plots) {
        return grid(id, columns, List.of(plots));
    }

    /** A figure with {@code plots} in a grid of {@code columns} columns, filled row by row. */
    public static Figure grid(String id, int columns, List<Plot> plots) {
        if (plots.isEmpty()) throw new IllegalArgumentException("a figure needs at least one plot");
        if (columns < 1) throw new IllegalArgumentException("columns must be >= 1, got " + columns);
        int cols = Math.min(columns, plots.size()), rows = (plots.size() + cols - 1) / cols;
        if (plots.size() == 1 && plots.getFirst().isTable())   // a table: as wide as a notebook, as high as its rows
            return new Figure(id, plots, 1, null, NOTEBOOK_WIDTH, ComparisonTable.height(plots.getFirst()));
        return new Figure(id, plots, cols, null, cols == 1 ? 760 : 460 * cols, rows == 1 ? 440 : 360 * rows);
    }

    /**
     * A figure drawn by a tablesaw-jsplot figure (any of its chart types), shown and saved like the
     * others. Set {@link #size} to the tablesaw layout's size if it is not tablesaw's default 700 × 450.
     */
    public static Figure of(String id, tech.tablesaw.plotly.components.Figure tablesaw) {
        UnaryOperator<String> script = div -> tablesaw.asJavascript(div)
                .replaceFirst("(?s)^\\s*<script[^>]*>", "").replaceFirst("(?s)</script>\\s*$", "");
        return new Figure(id, List.of(), 1, script, 700, 450);
    }

    /** The figure's title, above all its plots. */
    public Figure title(String title) {
        this.title = title == null ? "" : title;
        return this;
    }

    /**
     * Size in pixels: the figure fills the width of the notebook's output area (or page) up to
     * {@code width} (at most {@link #MAX_WIDTH}) and is {@code height} high. A grid too wide for
     * {@link #NOTEBOOK_WIDTH} lays its panels out in more rows, each as high as asked.
     */
    public Figure size(int width, int height) {
        this.width = memlab.core.Check.positive("width", width);
        this.height = memlab.core.Check.positive("height", height);
        return this;
    }

    /**
     * Colour {@code #rrggbb} of the series named {@code legendName} in every panel, e.g. to match a
     * paper's colours (a red high-plasticity and a blue low-plasticity line).
     */
    public Figure color(String legendName, String hex) {
        Colors.translucent(hex, 1); // validates
        pins.put(legendName, hex);
        return this;
    }

    /** The data behind the figure, saved as {@code <id>.csv} next to the HTML. */
    public Figure data(Table table) {
        this.data = table;
        return this;
    }

    /** The id: file name of the saved figure, without extension. */
    public String id() {
        return id;
    }

    /** Widest the figure is drawn, in pixels (it fills narrower output areas). */
    public int width() {
        return Math.min(width, MAX_WIDTH);
    }

    /** Height in pixels, after a grid too wide for a notebook has been laid out in more rows. */
    public int height() {
        int rows = (plots.size() + columns - 1) / Math.max(1, columns), laid = columns();
        int newRows = (plots.size() + laid - 1) / Math.max(1, laid);
        return rows == 0 || newRows == rows ? height : height / rows * newRows;
    }

    /**
     * Columns of the grid as laid out: the largest divisor of the columns asked for whose panels are
     * at least {@link #MIN_PANEL} ({@link #MIN_HEATMAP_PANEL} for heatmaps) wide in a notebook, so
     * that pairs (e.g. write and read maps) stay side by side.
     */
    int columns() {
        if (plots.isEmpty()) return 1;
        boolean heatmaps = plots.stream().anyMatch(p -> p.traces().stream().anyMatch(t -> "heatmap".equals(t.get("type"))));
        int min = heatmaps ? MIN_HEATMAP_PANEL : MIN_PANEL, room = Math.min(width(), NOTEBOOK_WIDTH);
        for (int c = columns; c > 1; c--)
            if (columns % c == 0 && room / c >= min) return c;
        return 1;
    }

    /** Width the PNG is drawn at, in CSS pixels (times {@link #PNG_SCALE} in image pixels). */
    int pngWidth() {
        return Math.min(width(), NOTEBOOK_WIDTH);
    }

    /** The Plotly figure {@code {"data": [...], "layout": {...}, "config": {...}}} as JSON. */
    public String json() {
        if (tablesawScript != null) throw new IllegalStateException("figure '" + id + "' is drawn by tablesaw, which keeps its own JSON");
        return Json.of(Panels.compose(plots, columns(), title, pngWidth(), height(), pins));
    }

    /**
     * The figure as an HTML fragment for a notebook output: an element and a script that draws into it
     * with the page's {@code window.Plotly} (waiting for it briefly). Plotly.js itself is not included;
     * see {@link Notebook#init()}.
     */
    public String notebookHtml() {
        return fragment(false);
    }

    /**
     * The element and its drawing script; a static plot (for the PNG) has no toolbar and no hover,
     * and the width of the PNG. Otherwise the element fills its container up to {@link #width()}.
     */
    private String fragment(boolean staticPlot) {
        String div = "memlab_" + id.replaceAll("[^A-Za-z0-9_]", "_") + "_" + SHOWN.incrementAndGet();
        String draw = tablesawScript != null ? tablesawScript.apply(div)
                : "var fig = " + json() + ";\n" + (staticPlot ? "fig.config = {staticPlot: true};\n" : "")
                + "Plotly.newPlot(id, fig.data, fig.layout, fig.config);";
        String style = tablesawScript != null ? "width:" + width + "px;height:" + height + "px"
                : staticPlot ? "width:" + pngWidth() + "px;height:" + height() + "px"
                : "width:100%;max-width:" + width() + "px;height:" + height() + "px";
        return "<div id=\"" + div + "\" class=\"memlab-figure\" style=\"" + style + "\"></div>\n"
                + "<script>\n" + PlotlyJs.whenReady(div, draw) + "\n</script>\n";
    }

    /** The figure as a self-contained HTML page, Plotly.js inlined (about 10 MB). */
    public String html() {
        return page(false, PlotlyJs.inlineScript());
    }

    private String page(boolean staticPlot, String plotlyScript) {
        return "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>" + escape(title.isEmpty() ? id : title)
                + "</title>\n</head>\n<body style=\"margin:0;background:white\">\n"
                + plotlyScript + fragment(staticPlot) + "</body>\n</html>\n";
    }

    /**
     * Shows the figure in the notebook cell; the first figure of a kernel session also loads Plotly.js
     * into the page. Outside a notebook it prints one line saying so.
     */
    public void show() {
        if (Display.available()) {
            String html = Notebook.plotlyOnce() + notebookHtml();
            Path image = notebookPng();
            if (image == null) Display.html(html);
            else Display.htmlWithPng(html, image, pngWidth(), "figure " + id + (title.isEmpty() ? "" : ": " + title));
        }
        else System.out.println("[figure " + id + (title.isEmpty() ? "" : ": " + title) + "] not in a notebook; save() writes " + Params.outDir().resolve(id + ".html"));
    }

    /**
     * Saves {@code <id>.html} (and {@code <id>.csv} when data was given) into {@link Params#outDir()};
     * with the parameter {@code png} true ({@code MEMLAB_PNG=true}, set by {@code bin/memlab reproduce})
     * and headless Chromium installed, also {@code <id>.png}.
     */
    public Path save() {
        if (Params.flag("png", false, false) && Chromium.available()) {
            savePng(Params.outDir());
            return Params.outDir().resolve(id + ".html");
        }
        return save(Params.outDir());
    }

    /**
     * Saves {@code <id>.html} (and {@code <id>.csv} when data was given) into {@code dir}; returns the
     * HTML file. The page loads Plotly.js from {@link PlotlyJs#FILE} beside it, written there once
     * for all the figures of the folder (keep the two together; {@link #html()} is self-contained).
     */
    public Path save(Path dir) {
        try {
            Files.createDirectories(dir);
            Path html = dir.resolve(id + ".html");
            Files.writeString(html, page(false, PlotlyJs.writeBeside(dir)), StandardCharsets.UTF_8);
            if (data != null) data.write().csv(dir.resolve(id + ".csv").toFile());
            return html;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The PNG to store beside the interactive figure in a notebook, so that a viewer without
     * JavaScript (a code host) shows the figure: the one {@link #savePng} wrote, else one drawn now
     * into a temporary folder; {@code null} without Chromium or with the parameter
     * {@code notebook_png} false ({@code MEMLAB_NOTEBOOK_PNG=false}).
     */
    private Path notebookPng() {
        if (tablesawScript != null || !Params.flag("notebook_png", true, true) || !Chromium.available()) return null;
        try {
            Path full = png != null && Files.isRegularFile(png) ? png : savePng(Files.createTempDirectory("memlab-figure"));
            return oneToOne(full);
        } catch (IOException | RuntimeException e) {
            System.err.println("[figure " + id + "] no PNG for the notebook: " + e.getMessage());
            return null;
        }
    }

    /**
     * The {@link #PNG_SCALE}× image scaled back to one image pixel per CSS pixel, in a temporary
     * file: a quarter of the bytes, which keeps a notebook saved with a PNG per figure small.
     */
    private static Path oneToOne(Path png) throws IOException {
        java.awt.image.BufferedImage full = RenderCheck.read(png);
        int k = PNG_SCALE, w = Math.max(1, full.getWidth() / k), h = Math.max(1, full.getHeight() / k);
        java.awt.image.BufferedImage small = new java.awt.image.BufferedImage(w, h, java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++)   // each pixel the mean of its k × k block (no AWT toolkit: works in a headless kernel)
            for (int x = 0; x < w; x++) {
                int r = 0, gr = 0, b = 0;
                for (int dy = 0; dy < k; dy++)
                    for (int dx = 0; dx < k; dx++) {
                        int rgb = full.getRGB(Math.min(full.getWidth() - 1, x * k + dx), Math.min(full.getHeight() - 1, y * k + dy));
                        r += rgb >> 16 & 255;
                        gr += rgb >> 8 & 255;
                        b += rgb & 255;
                    }
                int n = k * k;
                small.setRGB(x, y, (r / n) << 16 | (gr / n) << 8 | b / n);
            }
        Path out = Files.createTempFile("memlab-figure", ".png");
        javax.imageio.ImageIO.write(small, "png", out.toFile());
        out.toFile().deleteOnExit();
        return out;
    }

    /** Saves the HTML as {@link #save()} does, and {@code <id>.png} beside it; needs Chromium. */
    public Path savePng() {
        return savePng(Params.outDir());
    }

    /**
     * Saves the HTML into {@code dir}, and {@code <id>.png} beside it drawn by headless Chromium (as
     * a static plot: no toolbar); returns the PNG.
     */
    public Path savePng(Path dir) {
        save(dir);
        Path page = dir.resolve(id + ".png.html");
        try {
            Files.writeString(page, page(true, PlotlyJs.writeBeside(dir)), StandardCharsets.UTF_8);
            int w = tablesawScript != null ? width : pngWidth(), h = tablesawScript != null ? height : height();
            png = Chromium.screenshot(page, dir.resolve(id + ".png"), w, h, PNG_SCALE);
            return png;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                Files.deleteIfExists(page);
            } catch (IOException ignored) {
                // a leftover page is harmless
            }
        }
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
