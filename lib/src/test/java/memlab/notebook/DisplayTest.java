package memlab.notebook;

import org.junit.jupiter.api.AfterEach;
import memlab.plot.PlotlyJs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DisplayTest {
    static final String FAKE = "memlab.notebook.FakeKernel";

    @AfterEach
    void unbind() {
        Display.bind("org.rapaio.jupyter.kernel.MainApp", "org.rapaio.jupyter.kernel.global.Global");
        FakeKernel.calls.clear();
        FakeKernel.kernel = new FakeKernel();
    }

    @Test
    void outsideAKernelNothingIsShown() {
        assertFalse(Display.available());
        assertNull(Display.html("<b>x</b>"));
        Display.updateHtml(null, "<b>y</b>"); // no-op, no exception
        Display.updateHtml("some-id", "<b>y</b>");
        assertEquals("", Notebook.plotlyOnce(), "no Plotly bundle outside a kernel");
    }

    @Test
    void inAKernelCallsItsDisplayApi() {
        Display.bind(FAKE, FAKE);
        assertTrue(Display.available());
        String id = Display.html("<b>x</b>");
        Display.updateHtml(id, "<b>y</b>");
        String t = Display.text("step 1");
        Display.updateText(t, "step 2");
        assertEquals(List.of("display " + id + " text/html <b>x</b>", "update " + id + " text/html <b>y</b>",
                "display " + t + " text/plain step 1", "update " + t + " text/plain step 2"), FakeKernel.calls);
    }

    @Test
    void aKernelClassWithoutARunningKernelIsNotAvailable() {
        FakeKernel.kernel = null;
        Display.bind(FAKE, FAKE);
        assertFalse(Display.available());
        assertNull(Display.html("x"));
        assertTrue(FakeKernel.calls.isEmpty());
    }

    /** The notebook's output holds a small loader, not the 10 MB bundle: a saved notebook stays small. */
    @Test
    void plotlyIsLoadedFromAFileOncePerSession(@TempDir Path nbDir, @TempDir Path figures) throws Exception {
        Display.bind(FAKE, FAKE);
        Notebook.notebookDir = nbDir;
        Notebook.outDir = figures.resolve("01-egl");
        try {
            Notebook.newSession();
            String first = Notebook.plotlyOnce();
            assertTrue(first.startsWith("<script>") && first.length() < 5_000, "a small loader, the first time: " + first.length() + " chars");
            assertFalse(first.contains("plotly.js v"), "not the bundle");
            assertTrue(first.contains("'/files/'") && first.contains("\"01-egl/" + PlotlyJs.FILE + "\""),
                    "tries Jupyter's /files/ and the figures' folder beside an exported page: " + first);
            for (Path dir : List.of(nbDir, Notebook.outDir)) {
                Path js = dir.resolve(PlotlyJs.FILE);
                assertTrue(Files.readString(js).contains("plotly.js v" + PlotlyJs.VERSION), "the bundle is written to " + dir);
                assertTrue(Files.getPosixFilePermissions(js).contains(PosixFilePermission.OTHERS_READ), "readable by all: " + Files.getPosixFilePermissions(js));
            }
            assertEquals("", Notebook.plotlyOnce(), "not again");
            Notebook.reloadPlotly();
            assertEquals(1, FakeKernel.calls.size(), "reload shows the loader again");
            assertTrue(FakeKernel.calls.getFirst().contains("text/html <script>"));
        } finally {
            Notebook.notebookDir = Notebook.outDir = null;
            Notebook.newSession();
        }
    }

    /** A figure shows as one output holding HTML, a PNG (base64, with its display width) and text. */
    @Test
    void htmlWithPngIsOneBundle(@TempDir Path dir) throws Exception {
        Display.bind(FAKE, FAKE, FakeKernel.Data.class.getName());
        Path png = dir.resolve("f.png");
        Files.write(png, new byte[]{(byte) 0x89, 'P', 'N', 'G'});
        String id = Display.htmlWithPng("<div>fig</div>", png, 640, "figure f");
        assertEquals(1, FakeKernel.calls.size());
        String call = FakeKernel.calls.getFirst();
        assertTrue(call.startsWith("bundle " + id + " "), call);
        assertTrue(call.contains("text/html=<div>fig</div>") && call.contains("image/png=iVBORw==") && call.contains("text/plain=figure f"), call);
        assertTrue(call.contains("meta image/png={width=640}"), call);
    }

    @Test
    void withoutBundlesTheHtmlIsShown(@TempDir Path dir) throws Exception {
        Display.bind(FAKE, FAKE, "no.such.DisplayData");
        Path png = dir.resolve("f.png");
        Files.write(png, new byte[]{1, 2, 3});
        Display.htmlWithPng("<div>fig</div>", png, 640, "figure f");
        assertEquals(1, FakeKernel.calls.size());
        assertTrue(FakeKernel.calls.getFirst().contains("text/html <div>fig</div>"), FakeKernel.calls.getFirst());
    }
}
