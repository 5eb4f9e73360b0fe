package memlab.notebook;

import memlab.core.Params;
import memlab.plot.PlotlyJs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Set-up of the notebook page for one kernel session: loads Plotly.js into the page once, so that
 * each figure's output holds only its own data.
 *
 * <p>The bundle (10 MB) is not stored in the notebook: {@link #init()} writes it as
 * {@link PlotlyJs#FILE} beside the notebook (the kernel's working folder, which Jupyter serves under
 * {@code /files/}) and beside the figures ({@link Params#outDir()}), and shows a small script that
 * loads it from there (see {@link PlotlyJs#loaderScript}). A notebook saved after a run therefore
 * stays small, and its figures still draw offline: in Jupyter, after a page reload, and in an
 * nbconvert HTML export written beside the figures' folder. Where the file cannot be served,
 * {@link #initInline()} puts the bundle itself into the page (and into the saved notebook).
 *
 * <p>{@link memlab.plot.Figure#show()} loads Plotly.js with the first figure; call {@link #init()}
 * in the first cell to load it up front instead. If figures say Plotly.js is missing, call
 * {@link #reloadPlotly()} and show them again.
 */
public final class Notebook {
    private static boolean plotlyLoaded;
    private static boolean inline;
    /** For tests: folders standing in for the kernel's working folder and the figures' folder. */
    static Path notebookDir, outDir;

    private Notebook() {}

    /** Loads Plotly.js into the page from a local file, unless this kernel session did already; nothing outside a kernel. */
    public static void init() {
        String script = plotlyOnce();
        if (!script.isEmpty()) Display.html(script);
    }

    /** Like {@link #init()}, but with the bundle inlined in the output (10 MB in the saved notebook): for pages that cannot load the file. */
    public static synchronized void initInline() {
        inline = true;
        newSession();
        init();
    }

    /** Loads Plotly.js into the page again (after a page reload). */
    public static synchronized void reloadPlotly() {
        newSession();
        init();
    }

    /** Forgets that Plotly.js was loaded, as in a new kernel session (for tests). */
    static synchronized void newSession() {
        plotlyLoaded = false;
    }

    /**
     * The script that loads Plotly.js the first time it is asked for in a kernel session, then
     * {@code ""}; always {@code ""} outside a kernel. Whoever asks must put it in the page.
     */
    public static synchronized String plotlyOnce() {
        if (plotlyLoaded || !Display.available()) return "";
        plotlyLoaded = true;
        return inline ? PlotlyJs.inlineScript() : loader(notebookDir != null ? notebookDir : Path.of("").toAbsolutePath(),
                outDir != null ? outDir : Params.outDir());
    }

    /**
     * Writes the bundle into {@code notebookDir} and {@code outDir} and returns the script that loads
     * it: from Jupyter's {@code /files/}, or relative to a page beside the notebook, beside the
     * figures, or in the folder above the figures (where {@code bin/memlab} writes the HTML export).
     */
    static String loader(Path notebookDir, Path outDir) {
        try {
            PlotlyJs.write(notebookDir);
            PlotlyJs.write(outDir);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + PlotlyJs.FILE + " beside the notebook or the figures", e);
        }
        Path out = outDir.toAbsolutePath().normalize();
        notebookDir = notebookDir.toAbsolutePath().normalize();
        List<String> relative = new ArrayList<>(List.of(PlotlyJs.FILE));
        if (out.getFileName() != null) relative.add(out.getFileName() + "/" + PlotlyJs.FILE);
        if (out.startsWith(notebookDir) && !out.equals(notebookDir))
            relative.add(notebookDir.relativize(out).toString().replace('\\', '/') + "/" + PlotlyJs.FILE);
        return PlotlyJs.loaderScript(sessionDir(), relative.stream().distinct().toList());
    }

    /**
     * The notebook's folder under the Jupyter root, from {@code JPY_SESSION_NAME} (the notebook's
     * path, which Jupyter gives the kernel) when that is relative; {@code null} when unknown.
     */
    static String sessionDir() {
        String session = System.getenv("JPY_SESSION_NAME");
        if (session == null || session.isBlank() || session.startsWith("/") || session.matches("^[A-Za-z]:.*")) return null;
        Path parent = Path.of(session).getParent();
        return parent == null ? null : parent.toString();
    }
}
