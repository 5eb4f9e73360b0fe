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
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A figure of one or more {@link Plot}s (in a grid), with an id that names its files. It can be
 * shown in a notebook cell ({@link #show()}), saved as a standalone HTML page with Plotly.js inlined
 * ({@link #save()}), with its data as CSV next to it ({@link #data(Table)}), and saved as PNG with
 * headless Chromium ({@link #savePng()}). Nothing it writes refers to the network.
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
    private String title = "";
    private int width;
    private int height;
    private Table data;

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

    /** Size in pixels. */
    public Figure size(int width, int height) {
        this.width = memlab.core.Check.positive("width", width);
        this.height = memlab.core.Check.positive("height", height);
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

    /** Width in pixels. */
    public int width() {
        return width;
    }

    /** Height in pixels. */
    public int height() {
        return height;
    }

    /** The Plotly figure {@code {"data": [...], "layout": {...}, "config": {...}}} as JSON. */
    public String json() {
        if (tablesawScript != null) throw new IllegalStateException("figure '" + id + "' is drawn by tablesaw, which keeps its own JSON");
        return Json.of(Panels.compose(plots, columns, title, width, height));
    }

    /**
     * The figure as an HTML fragment for a notebook output: an element and a script that draws into it
     * with the page's {@code window.Plotly} (waiting for it briefly). Plotly.js itself is not included;
     * see {@link Notebook#init()}.
     */
    public String notebookHtml() {
        return fragment(false);
    }

    /** The element and its drawing script; a static plot has no toolbar and no hover. */
    private String fragment(boolean staticPlot) {
        String div = "memlab_" + id.replaceAll("[^A-Za-z0-9_]", "_") + "_" + SHOWN.incrementAndGet();
        String draw = tablesawScript != null ? tablesawScript.apply(div)
                : "var fig = " + json() + ";\n" + (staticPlot ? "fig.config = {staticPlot: true};\n" : "")
                + "Plotly.newPlot(id, fig.data, fig.layout, fig.config);";
        return "<div id=\"" + div + "\" class=\"memlab-figure\" style=\"width:" + width + "px;height:" + height + "px\"></div>\n"
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
        if (Display.available()) Display.html(Notebook.plotlyOnce() + notebookHtml());
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
            return Chromium.screenshot(page, dir.resolve(id + ".png"), width, height);
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
