package memlab.notebook;

import memlab.plot.PlotlyJs;

/**
 * Set-up of the notebook page for one kernel session: loads Plotly.js into the page once, so that
 * each figure's output holds only its own data.
 *
 * <p>{@link memlab.plot.Figure#show()} loads it with the first figure; call {@link #init()} in the
 * first cell to load it up front instead. If the page is reloaded while the kernel runs on, figures
 * say Plotly.js is missing: call {@link #reloadPlotly()} and show them again.
 */
public final class Notebook {
    private static boolean plotlyLoaded;

    private Notebook() {}

    /** Loads Plotly.js into the page, unless this kernel session did already; nothing outside a kernel. */
    public static void init() {
        String script = plotlyOnce();
        if (!script.isEmpty()) Display.html(script);
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
     * The inline Plotly.js script the first time it is asked for in a kernel session, then
     * {@code ""}; always {@code ""} outside a kernel. Whoever asks must put it in the page.
     */
    public static synchronized String plotlyOnce() {
        if (plotlyLoaded || !Display.available()) return "";
        plotlyLoaded = true;
        return PlotlyJs.inlineScript();
    }
}
