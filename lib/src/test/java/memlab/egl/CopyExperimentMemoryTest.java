package memlab.egl;

import memlab.train.Optimizer;
import memlab.train.Trainer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A 300-epoch linked run keeps native memory flat. Sizes are smaller than the paper's so the test
 * is quick, but one epoch still allocates about 1 MB of temporaries: a leak of them would add
 * ~200 MB over the measured 200 epochs (100 to 300, after the allocator has warmed up), far above the bound.
 */
class CopyExperimentMemoryTest {
    static long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status")))
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", ""));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return -1;
    }

    /** Resident memory minus the Java heap's committed size: what native allocations hold. */
    static long nativeKb() {
        System.gc();
        return rssKb() - Runtime.getRuntime().totalMemory() / 1024;
    }

    @Test
    void threeHundredEpochsStayFlat() {
        long[] rss = new long[2];
        Trainer.Listener watch = new Trainer.Listener() {
            @Override
            public void onStep(int step, int steps, Map<String, float[]> metrics) {
                if (step == 99) rss[0] = nativeKb();   // after the allocator has warmed up (it takes longer with DJL telemetry off)
                if (step == steps - 1) rss[1] = nativeKb();
            }
        };
        var setup = new CopyExperiment.Setup(8, 20, 16, 32, 24, 300);
        var result = CopyExperiment.train(setup, List.of(CopyExperiment.Run.of(Optimizer.Rule.ADAM, 5e-4, 1.0, true, 7)), new int[]{0, 299}, watch);
        long growMb = (rss[1] - rss[0]) / 1024;
        assertTrue(growMb < 48, "native memory (RSS minus Java heap) grew by " + growMb + " MB from epoch 100 to 300");
        assertEquals(300, result.recorder().table().rowCount());
        assertEquals(2, result.attention().size());
    }
}
