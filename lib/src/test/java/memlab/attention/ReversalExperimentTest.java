package memlab.attention;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The experiment record trains every kind of attention and repeats itself for the same seeds (hard included: its draws are seeded). */
class ReversalExperimentTest {
    @Test
    void trainsAndRepeats() {
        for (Attention a : Attention.values()) {
            ReversalExperiment.Setup s = new ReversalExperiment.Setup(a, 4, 3, 5, 4, 3, 0.01, new long[]{1, 2});
            ReversalExperiment.Result x = ReversalExperiment.train(s), y = ReversalExperiment.train(s);
            assertEquals(3, x.loss().length);
            assertArrayEquals(x.loss()[2], y.loss()[2], a + ": same seeds, same numbers");
            assertArrayEquals(x.accuracy(), y.accuracy(), a.toString());
        }
        var e = assertThrows(IllegalArgumentException.class, () -> new ReversalExperiment.Setup(Attention.SOFT, 4, 0, 5, 4, 3, 0.01, new long[]{1}));
        assertEquals("length must be a positive integer (> 0), got 0", e.getMessage());
    }
}
