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
            assertEquals(3, x.source().length);
            if (a == Attention.NONE) assertNull(x.alignment());
            else for (float[] row : x.alignment()) {
                double sum = 0;
                for (float v : row) sum += v;
                assertEquals(1, sum, 1e-5, a + ": each output step's alignment is a distribution over the source");
            }
            double[] fin = x.finalLoss(2);
            assertEquals((x.loss()[1][1] + x.loss()[2][1]) / 2, fin[1], 1e-6, "mean of the last two steps");
        }
        var sweep = ReversalExperiment.sweep(new ReversalExperiment.Setup(Attention.SOFT, 4, 3, 5, 4, 2, 0.01, new long[]{1, 2}),
                java.util.List.of(Attention.NONE, Attention.SOFT), new int[]{2, 3});
        assertEquals(4, sweep.size());
        assertEquals(2, sweep.get(2).setup().length() + 0 * sweep.get(2).setup().steps());
        assertEquals(Attention.SOFT, sweep.get(2).setup().attention());
        assertEquals(8, ReversalExperiment.accuracyTable(sweep).rowCount());
        assertEquals(16, ReversalExperiment.lossTable(sweep).rowCount());
        var e = assertThrows(IllegalArgumentException.class, () -> new ReversalExperiment.Setup(Attention.SOFT, 4, 0, 5, 4, 3, 0.01, new long[]{1}));
        assertEquals("length must be a positive integer (> 0), got 0", e.getMessage());
    }
}
