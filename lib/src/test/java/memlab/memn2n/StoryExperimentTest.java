package memlab.memn2n;

import memlab.tasks.BabiTask;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The experiment record trains, reports one loss per step and run, and repeats itself for the same seeds. */
class StoryExperimentTest {
    @Test
    void trainsAndRepeats() {
        StoryExperiment.Setup s = new StoryExperiment.Setup(BabiTask.MATERNAL_GRANDFATHER, 10, 6, 2, true, true, 4, 3, 0.01, new long[]{1, 2});
        StoryExperiment.Result a = StoryExperiment.train(s), b = StoryExperiment.train(s);
        assertEquals(3, a.loss().length);
        assertEquals(2, a.loss()[0].length);
        assertArrayEquals(a.loss()[2], b.loss()[2], "same seeds, same numbers");
        assertArrayEquals(a.accuracy(), b.accuracy());
        assertEquals(2, a.attention().length, "one row per hop");
        assertEquals(a.example().sentences().size(), a.attention()[0].length, "one column per sentence of the example");
        for (float[] hop : a.attention()) {
            double sum = 0;
            for (float v : hop) sum += v;
            assertEquals(1, sum, 1e-5, "a hop's attention is a distribution over the sentences");
        }
        var sweep = StoryExperiment.sweep(new StoryExperiment.Setup(BabiTask.SINGLE_SUPPORTING_FACT, 3, 6, 1, true, true, 4, 2, 0.01, new long[]{1, 2}),
                java.util.List.of(BabiTask.SINGLE_SUPPORTING_FACT, BabiTask.MATERNAL_GRANDFATHER), new int[]{1, 2});
        assertEquals(4, sweep.size());
        assertEquals(10, sweep.get(3).setup().sentences(), "raised to the task's fewest sentences");
        assertEquals(2, sweep.get(3).setup().hops());
        assertEquals(8, StoryExperiment.accuracyTable(sweep).rowCount());
        var noSentences = assertThrows(IllegalArgumentException.class, () -> new StoryExperiment.Setup(BabiTask.SINGLE_SUPPORTING_FACT, 0, 6, 1, true, true, 4, 3, 0.01, new long[]{1}));
        assertEquals("sentences must be a positive integer (> 0), got 0", noSentences.getMessage());
        var e = assertThrows(IllegalArgumentException.class, () -> new StoryExperiment.Setup(BabiTask.MATERNAL_GRANDFATHER, 10, 6, 0, true, true, 4, 3, 0.01, new long[]{1}));
        assertEquals("hops must be a positive integer (> 0), got 0", e.getMessage());
    }
}
