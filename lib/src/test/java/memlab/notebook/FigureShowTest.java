package memlab.notebook;

import memlab.plot.Figure;
import memlab.plot.Heatmap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class FigureShowTest {
    static Figure figure() {
        return Figure.of("show-test", Heatmap.of(new double[][]{{1, 2}, {3, 4}}).plot());
    }

    @AfterEach
    void unbind() {
        Display.bind("org.rapaio.jupyter.kernel.MainApp", "org.rapaio.jupyter.kernel.global.Global");
        FakeKernel.calls.clear();
    }

    @Test
    void inAKernelOnlyTheFirstFigureCarriesPlotly(@TempDir Path dir) {
        Display.bind(FakeKernel.class.getName(), FakeKernel.class.getName());
        Notebook.notebookDir = Notebook.outDir = dir;
        System.setProperty("memlab.notebook_png", "false");
        try {
            Notebook.reloadPlotly(); // a fresh session: the loader goes out once, here
            FakeKernel.calls.clear();
            figure().show();
            figure().show();
        } finally {
            System.clearProperty("memlab.notebook_png");
            Notebook.notebookDir = Notebook.outDir = null;
        }
        assertEquals(2, FakeKernel.calls.size());
        for (String call : FakeKernel.calls) {
            assertTrue(call.contains("text/html <div id=\"memlab_show-test".replace('-', '_')), call.substring(0, 80));
            assertFalse(call.contains("plotly.js v") || call.contains("memlab: load plotly"), "Plotly was loaded by reloadPlotly");
        }
    }

    /** With Chromium, a figure's output also carries its PNG, for viewers that run no scripts. */
    @Test
    void inAKernelAFigureCarriesItsPng(@TempDir Path dir) throws java.io.IOException {
        assumeTrue(memlab.plot.Chromium.available(), "no chromium: no PNG");
        Display.bind(FakeKernel.class.getName(), FakeKernel.class.getName(), FakeKernel.Data.class.getName());
        Notebook.notebookDir = Notebook.outDir = dir;
        try {
            Notebook.reloadPlotly();
            FakeKernel.calls.clear();
            figure().show();
        } finally {
            Notebook.notebookDir = Notebook.outDir = null;
        }
        assertEquals(1, FakeKernel.calls.size());
        String call = FakeKernel.calls.getFirst();
        assertTrue(call.startsWith("bundle ") && call.contains(" text/html=<div id=") && call.contains(" image/png=iVBOR"), call.substring(0, 120));
        assertTrue(call.contains("text/plain=figure show-test"), "a text form too");
        String base64 = call.substring(call.indexOf(" image/png=") + 11, call.indexOf(" text/plain="));
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(java.util.Base64.getDecoder().decode(base64)));
        assertEquals(760, img.getWidth(), "one image pixel per CSS pixel in the notebook (the saved PNG is 2x): a small notebook");
        assertTrue(call.contains("meta image/png={width=760}"), "shown 760 px wide");
    }

    @Test
    void outsideAKernelShowPrintsOneLine() {
        PrintStream out = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            figure().show();
        } finally {
            System.setOut(out);
        }
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(1, printed.lines().count(), printed);
        assertTrue(printed.startsWith("[figure show-test] not in a notebook; save() writes "), printed);
    }
}
