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
        var e = assertThrows(IllegalArgumentException.class, () -> new StoryExperiment.Setup(BabiTask.MATERNAL_GRANDFATHER, 10, 6, 0, true, true, 4, 3, 0.01, new long[]{1}));
        assertEquals("hops must be a positive integer (> 0), got 0", e.getMessage());
    }
}
