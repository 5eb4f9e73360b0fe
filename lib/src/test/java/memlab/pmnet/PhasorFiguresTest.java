package memlab.pmnet;

import memlab.plot.Figure;
import memlab.tasks.CopyPaste;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The figures' tables hold one row per run and point, with the numbers of the results they are drawn from. */
class PhasorFiguresTest {
    static CopyPasteExperiment.Result result(float... exact) {
        var setup = new CopyPasteExperiment.Setup(PhasorNetTest.small(3, 2), new CopyPaste(2, 3, 12, 8), 2, 1, 1e-2, 1, new long[]{7, 8});
        return new CopyPasteExperiment.Result(setup, new float[][]{{1, 1}}, new CopyPasteTraining.Metrics(new float[2], new float[]{0.5f, 0.5f}, exact), 1);
    }

    @Test
    void copyAndAblation() {
        Map<String, Map<Integer, CopyPasteExperiment.Result>> byModel = new LinkedHashMap<>();
        byModel.put("PMNet", Map.of(2, result(1f, 0.5f)));
        byModel.put("LSTM", Map.of(2, result(0f, 0.25f)));
        var t = PhasorFigures.copyTable(byModel);
        assertEquals(4, t.rowCount());
        assertEquals(0.25, t.doubleColumn("exact").get(3), 1e-9);
        assertEquals(8, t.intColumn("seed").get(1));
        Figure f = PhasorFigures.copy(byModel, 6);
        assertTrue(f.json().contains("exact retrieval") && f.json().contains("log"), "human axis titles, log x");
        var a = PhasorFigures.ablation(new double[]{0.9, 1}, Map.of("flat", new double[]{0.1, 0.2}), 16, 0.1).json();
        assertTrue(a.contains("hurts") && a.contains("full PMNet"), a);
    }

    @Test
    void gradNormAndLongContext() {
        var p = new StateGradients.Profile(2, new double[][]{{3, 2, 1}});
        var t = PhasorFigures.gradNormTable(Map.of("phasor, untrained", p));
        assertEquals(3, t.rowCount());
        assertEquals(3.0, t.doubleColumn("grad_norm").get(2), 1e-12, "depth 2 is position 0");
        assertEquals(2, t.intColumn("depth").get(2));
        var setup = new ByteLm.Setup(ByteLmTest.lm(8), 2, 1, 1, 1e-2, 8, 1, new long[]{1});
        var lm = PhasorFigures.longContextTable(Map.of("PMNet", new ByteLm.Result(setup, new float[1][1], new double[][]{{1, 2, 3, 4, 5, 6, 7, 8}}, 1)));
        assertEquals(8, lm.rowCount());
        assertEquals(5.0, lm.doubleColumn("bits_per_byte").get(4), 1e-12);
        assertTrue(PhasorFigures.gradNorm(Map.of("phasor, untrained", p)).json().contains("log"));
    }
}
