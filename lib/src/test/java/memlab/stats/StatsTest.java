package memlab.stats;

import memlab.memory.AttentionStats;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class StatsTest {
    @Test
    void spreadLeavesOutNonFiniteAndKnowsSeparation() {
        Spread a = Spread.of(1, 2, 3, Double.NaN);
        assertEquals(3, a.n());
        assertEquals(2, a.mean(), 1e-12);
        assertEquals(1, a.std(), 1e-12);
        assertTrue(a.separatedFrom(Spread.of(3.5, 4)));
        assertFalse(a.separatedFrom(Spread.of(2.5, 4)));
        assertEquals(0, Spread.of(Double.NaN).n());
    }

    @Test
    void pearsonAndDescentRate() {
        assertEquals(1, Correlation.pearson(new double[]{1, 2, 3, 4}, new double[]{2, 4, 6, 8}), 1e-12);
        assertEquals(-1, Correlation.pearson(new double[]{1, 2, 3, 4}, new double[]{8, 6, 4, 2}), 1e-12);
        assertTrue(Double.isNaN(Correlation.pearson(new double[]{1, 1, 1}, new double[]{1, 2, 3})));
        double[] d = Correlation.descentRate(new double[]{10, 8, 6, 4, 2}, 1);
        assertTrue(Double.isNaN(d[0]) && Double.isNaN(d[4]));
        assertEquals(2, d[2], 1e-12);
    }

    @Test
    void attentionSummaries() {
        float[][] diffuse = {{0.25f, 0.25f, 0.25f, 0.25f}, {0.25f, 0.25f, 0.25f, 0.25f}};
        float[][] sharp = {{1, 0, 0, 0}, {0, 0, 1, 0}};
        assertEquals(0.25, AttentionStats.meanMax(diffuse), 1e-6);
        assertEquals(1, AttentionStats.normalisedEntropy(diffuse), 1e-6);
        assertEquals(0, AttentionStats.normalisedEntropy(sharp), 1e-6);
        assertEquals(1, AttentionStats.readFollowsWrite(sharp, sharp), 0);
        assertEquals(0.5, AttentionStats.readFollowsWrite(sharp, new float[][]{{1, 0, 0, 0}, {0, 1, 0, 0}}), 0);
    }
}
