package memlab.notebook;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

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
        FakeKernel.kernel = new Object();
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

    @Test
    void plotlyIsInlinedOncePerSession() {
        Display.bind(FAKE, FAKE);
        Notebook.newSession();
        String first = Notebook.plotlyOnce();
        assertTrue(first.startsWith("<script>") && first.length() > 1_000_000, "the bundle, the first time");
        assertEquals("", Notebook.plotlyOnce(), "not again");
        Notebook.reloadPlotly();
        assertEquals(1, FakeKernel.calls.size(), "reload shows the bundle again");
        assertTrue(FakeKernel.calls.getFirst().contains("text/html <script>"));
    }
}
