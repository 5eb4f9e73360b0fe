package memlab.plot;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * Plotly.js 2.35.3, read from the {@code org.webjars.npm:plotly.js-dist} jar on the classpath and
 * inlined into pages or written beside them ({@link #writeBeside}), so figures never need the network.
 *
 * <p>Pages that load RequireJS (classic Jupyter, nbconvert's HTML export) define a global AMD
 * {@code define}; the Plotly bundle, seeing it, registers as an AMD module and never sets
 * {@code window.Plotly}, so figures stay blank. {@link #inlineScript()} therefore runs the bundle
 * inside a function whose parameters {@code define}, {@code module} and {@code exports} are
 * undefined: the bundle sets {@code window.Plotly} and the page's {@code define} is untouched.
 */
public final class PlotlyJs {
    /** The Plotly.js version inlined. */
    public static final String VERSION = "2.35.3";

    /** Seconds a figure's drawing code waits for {@code window.Plotly} before giving up. */
    static final int WAIT_SECONDS = 15;

    private static final String RESOURCE = "META-INF/resources/webjars/plotly.js-dist/" + VERSION + "/plotly.js";
    private static String source;

    private PlotlyJs() {}

    /** The Plotly.js bundle, as shipped (about 10 MB: the webjar has no minified build). */
    static synchronized String source() {
        if (source == null) {
            try (InputStream in = PlotlyJs.class.getClassLoader().getResourceAsStream(RESOURCE)) {
                if (in == null) throw new IllegalStateException("Plotly.js not on the classpath (" + RESOURCE + "): add org.webjars.npm:plotly.js-dist:" + VERSION);
                // "</script" cannot occur in code outside strings; escaping it keeps the inline script whole
                source = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("</script", "<\\/script");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return source;
    }

    /** A {@code <script>} element that defines {@code window.Plotly}, also on pages with RequireJS. */
    public static String inlineScript() {
        return "<script>" + guardedSource() + "</script>\n";
    }

    /** The bundle run with AMD/CommonJS hidden, so that it sets {@code window.Plotly} on any page. */
    private static String guardedSource() {
        return "/* plotly.js " + VERSION + ", run with AMD/CommonJS hidden so that it sets window.Plotly */\n"
                + "(function (define, module, exports) {\n" + source() + "\n}).call(window);\n";
    }

    /** The name of the file {@link #writeBeside} writes. */
    public static final String FILE = "plotly-" + VERSION + ".js";

    /**
     * Writes the (guarded) bundle as {@link #FILE} into {@code dir} unless it is there already, and
     * returns the {@code <script src>} element that loads it from a page in {@code dir}: a local file,
     * so the page still needs no network, and a folder of figures holds the 10 MB bundle once
     * instead of once per figure.
     */
    public static String writeBeside(Path dir) throws IOException {
        write(dir);
        return "<script src=\"" + FILE + "\"></script>\n";
    }

    /**
     * Writes the (guarded) bundle as {@link #FILE} into {@code dir} unless it is there already,
     * readable by everyone (mode 644: a web server or another user serves it); returns the file.
     */
    public static Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(FILE);
        byte[] bytes = guardedSource().getBytes(StandardCharsets.UTF_8);
        if (!Files.exists(file) || Files.size(file) != bytes.length) {   // written whole, then moved: a reader never sees half
            Path tmp = Files.createTempFile(dir, FILE, ".part");        // (a temporary file is private: mode 600)
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system: its default permissions apply
        }
        return file;
    }

    /**
     * A small {@code <script>} (about 2 kB) that loads {@link #FILE} into the page unless
     * {@code window.Plotly} is there, trying in turn: the file beside the notebook as Jupyter serves
     * it ({@code <base>/files/<notebook folder>/}, the folder read from the page's address, then
     * {@code notebookDir} under the server root, then the root), then each of {@code relative}, paths
     * relative to the page (for an exported notebook: the folder of its figures). A candidate that
     * fails to load, or loads something that is not Plotly, is skipped. The notebook's saved output
     * holds only this script, not the 10 MB bundle.
     *
     * @param notebookDir the notebook's folder relative to the Jupyter root, or {@code null} if unknown
     * @param relative    paths of the file relative to a page that shows the output, e.g. {@code plotly-2.35.3.js}
     */
    public static String loaderScript(String notebookDir, List<String> relative) {
        String dir = notebookDir == null || notebookDir.isBlank() || notebookDir.equals(".") ? null
                : notebookDir.replace('\\', '/').replaceAll("^/+|/+$", "") + "/";
        return "<script>\n/* memlab: load plotly.js " + VERSION + " from a local file (not stored in the notebook) */\n"
                + "(function () {\n"
                + "  if ((window.Plotly && window.Plotly.newPlot) || window.__memlabPlotlyLoading) return;\n"
                + "  window.__memlabPlotlyLoading = true;\n"
                + "  var file = " + Json.of(FILE) + ", urls = [], base = null;\n"
                + "  var m = location.pathname.match(/^(.*?)\\/(?:notebooks|lab\\/tree|lab\\/workspaces\\/[^\\/]+\\/tree|doc\\/tree|tree|voila\\/render)\\/((?:[^\\/]*\\/)*)[^\\/]*$/);\n"
                + "  if (m) { base = m[1] + '/'; urls.push(m[1] + '/files/' + m[2] + file); }\n"
                + "  try { var cfg = JSON.parse(document.getElementById('jupyter-config-data').textContent); if (cfg.baseUrl) base = cfg.baseUrl.replace(/\\/?$/, '/'); } catch (e) {}\n"
                + "  if (base) { " + (dir == null ? "" : "urls.push(base + 'files/' + " + Json.of(dir) + " + file); ") + "urls.push(base + 'files/' + file); }\n"
                + "  urls = urls.concat(" + Json.of(relative) + ");\n"
                + "  (function next(i) {\n"
                + "    if (window.Plotly && window.Plotly.newPlot) return;\n"
                + "    if (i >= urls.length) { window.__memlabPlotlyLoading = false; if (window.console) console.warn('memlab: ' + file + ' not found at', urls); return; }\n"
                + "    var s = document.createElement('script');\n"
                + "    s.src = urls[i];\n"
                + "    s.onerror = function () { s.parentNode.removeChild(s); next(i + 1); };\n"
                + "    s.onload = function () { if (!(window.Plotly && window.Plotly.newPlot)) next(i + 1); };\n"
                + "    document.head.appendChild(s);\n"
                + "  })(0);\n"
                + "})();\n</script>\n";
    }

    /**
     * JavaScript that runs {@code drawCode} once {@code window.Plotly} and the element {@code divId}
     * exist (retrying every 50 ms for {@value #WAIT_SECONDS} s), then writes a hint into the element if
     * they never did. {@code drawCode} sees {@code Plotly} and the element id as {@code id}.
     */
    static String whenReady(String divId, String drawCode) {
        return "(function () {\n"
                + "  var id = " + Json.of(divId) + ", t0 = Date.now();\n"
                + "  function go() {\n"
                + "    var Plotly = window.Plotly, el = document.getElementById(id);\n"
                + "    if (Plotly && Plotly.newPlot && el) {\n" + drawCode + "\n    }\n"
                + "    else if (Date.now() - t0 < " + WAIT_SECONDS * 1000 + ") setTimeout(go, 50);\n"
                + "    else if (el) el.textContent = 'Plotly.js is not loaded on this page: run memlab.notebook.Notebook.reloadPlotly(), then show the figure again.';\n"
                + "  }\n"
                + "  go();\n"
                + "})();";
    }
}
