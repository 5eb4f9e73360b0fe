package memlab.ntm;

import memlab.diagnostics.Diagnostics;
import memlab.tasks.BitCopyTask;
import memlab.train.Optimizer;
import memlab.train.RunRecorder;
import tech.tablesaw.api.Table;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** {@link LinkRetrofit} on a tiny NTM: both settings train from the same start, and its tables and verdict read the runs. */
class LinkRetrofitTest {
    @Test
    void trainsBothSettingsFromTheSameStartAndSummarisesThem() {
        NtmConfig model = new NtmConfig(3, 2, Controller.LSTM, 6, 6, 3, 1, 1, 1, true);
        BitCopyTask task = new BitCopyTask(2, 2, 3, 1);
        NtmCopyTraining.Setup setup = new NtmCopyTraining.Setup(model, task, Optimizer.Rule.ADAM, 6);
        List<NtmCopyTraining.Run> runs = List.of(new NtmCopyTraining.Run(MemoryInit.CONSTANT, 1e-2, 10, false, 1),
                new NtmCopyTraining.Run(MemoryInit.CONSTANT, 1e-2, 10, false, 2));
        LinkRetrofit.Result r = LinkRetrofit.train(setup, runs, 3, 2, null);

        assertFalse(r.off().recorder().name().isEmpty());
        for (int k = 0; k < runs.size(); k++) {
            // step 0 runs before any update: the same weights and data, and the link does not change the forward pass
            double off0 = r.off().recorder().table().where(r.off().recorder().table().intColumn("run").isEqualTo(k)).doubleColumn(RunRecorder.LOSS).get(0);
            double on0 = r.on().recorder().table().where(r.on().recorder().table().intColumn("run").isEqualTo(k)).doubleColumn(RunRecorder.LOSS).get(0);
            assertEquals(off0, on0, 0.0, "first-step cost of run " + k);
        }
        Table curves = r.curves(), diag = r.diagnostics();
        assertEquals(2 * runs.size() * setup.steps(), curves.rowCount());
        assertEquals(List.of("off", "on"), curves.stringColumn("link").unique().asList().stream().sorted().toList());
        assertEquals(2 * runs.size() * r.off().trace().steps().size(), diag.rowCount());
        assertEquals(List.of(0, 2, 4, 5), r.off().trace().steps(), "every 2 steps and the last");

        // the NTM's groups partition its parameters: memory path + controller + output = the whole squared norm
        Diagnostics.Report last = r.on().trace().last();
        for (int k = 0; k < runs.size(); k++) {
            double sum = LinkRetrofit.memoryShare(last, k) + last.gradients().share(k, "controller") + last.gradients().share(k, "output");
            assertEquals(1.0, sum, 1e-4, "shares of run " + k);
        }
        String text = LinkRetrofit.finding(r, 2, 0.1, 0.1).text();
        assertTrue(text.contains("final cost") && text.contains("ablation") && text.contains("memory-path gradient share"), text);
        assertEquals(2 * runs.size(), LinkRetrofit.summary(r, 2).rowCount());
        assertNotNull(LinkRetrofit.figure(r, 2).json());
    }

    @Test
    void badArgumentsNameTheArgument() {
        NtmCopyTraining.Setup setup = new NtmCopyTraining.Setup(new NtmConfig(3, 2, Controller.LSTM, 4, 6, 3, 1, 1, 1, true),
                new BitCopyTask(2, 2, 3, 1), Optimizer.Rule.ADAM, 2);
        List<NtmCopyTraining.Run> runs = List.of(new NtmCopyTraining.Run(MemoryInit.CONSTANT, 1e-2, 10, false, 1));
        var e = assertThrows(IllegalArgumentException.class, () -> LinkRetrofit.train(setup, runs, 0, 1, null));
        assertTrue(e.getMessage().contains("probeLength"), e.getMessage());
    }
}
