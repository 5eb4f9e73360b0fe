package memlab.notebook;

import memlab.plot.Figure;
import memlab.plot.Heatmap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void inAKernelOnlyTheFirstFigureCarriesPlotly() {
        Display.bind(FakeKernel.class.getName(), FakeKernel.class.getName());
        Notebook.reloadPlotly(); // a fresh session: the bundle goes out once, here
        FakeKernel.calls.clear();
        figure().show();
        figure().show();
        assertEquals(2, FakeKernel.calls.size());
        for (String call : FakeKernel.calls) {
            assertTrue(call.contains("text/html <div id=\"memlab_show-test".replace('-', '_')), call.substring(0, 80));
            assertFalse(call.contains("plotly.js v"), "Plotly was loaded by reloadPlotly");
        }
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
