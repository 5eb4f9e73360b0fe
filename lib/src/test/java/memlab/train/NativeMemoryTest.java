package memlab.train;

import memlab.tasks.TinyRegression;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** A few hundred steps must not grow native memory: per-step scopes close every temporary. */
class NativeMemoryTest {
    static long rssKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status")))
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", ""));
        return -1;
    }

    @Test
    void threeHundredStepsDoNotLeak() throws Exception {
        try (NDManager base = NDManager.newBaseManager()) {
            TinyRegression task = new TinyRegression(base, 1, 2, 3, 4);
            try (Optimizer opt = Optimizer.of(Optimizer.Rule.ADAMW, new double[]{1e-3, 2e-3, 3e-3, 4e-3}).clip(1.0)) {
                RunRecorder rec = new RunRecorder("m", 4, Divergence.NON_FINITE);
                Trainer.fit(task.params, opt, rec, 50, task, null);
                int arraysAfterWarmup = task.params.manager().getManagedArrays().size();
                long rss0 = rssKb();
                Trainer.fit(task.params, opt, rec, 300, task, null);
                int arraysAfter = task.params.manager().getManagedArrays().size();
                long growMb = (rssKb() - rss0) / 1024;
                assertEquals(arraysAfterWarmup, arraysAfter, "arrays left behind by training steps");
                assertTrue(growMb < 64, "resident memory grew by " + growMb + " MB over 300 steps");
            }
        }
    }
}
