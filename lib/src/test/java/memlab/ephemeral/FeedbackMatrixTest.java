package memlab.ephemeral;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The DFA feedback matrix has its documented distribution, U(−1/√V, 1/√V), whatever the net does with it. */
class FeedbackMatrixTest {
    @Test
    void entriesAreUniformOnPlusMinusOneOverRootV() {
        for (int v : new int[]{4, 27, 100}) {
            int h = 4000;
            float[] b = FeedbackMatrix.draw(7, v, h);
            assertEquals(v * h, b.length);
            double bound = 1 / Math.sqrt(v), n = b.length;
            double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY, sum = 0, sq = 0;
            for (float x : b) {
                min = Math.min(min, x);
                max = Math.max(max, x);
                sum += x;
                sq += (double) x * x;
            }
            // range: inside the bound (up to float rounding), and reaching it (n ≥ 16 000 draws leave a gap of ~1e-4 of the width)
            double edge = bound * (1 + 1e-6);
            assertTrue(max <= edge && min >= -edge, "V " + v + ": range [" + min + ", " + max + "] outside ±" + bound);
            assertTrue(max > 0.99 * bound && min < -0.99 * bound, "V " + v + ": range [" + min + ", " + max + "] does not fill ±" + bound);
            // spread: mean 0 and variance bound²/3, each within 5 standard errors
            double var = bound * bound / 3, mean = sum / n, second = sq / n;
            assertEquals(0, mean, 5 * Math.sqrt(var / n), "V " + v + ": mean");
            assertEquals(var, second, 5 * Math.sqrt((bound * bound * bound * bound / 5 - var * var) / n), "V " + v + ": variance");
        }
    }

    /** The net uses run r's own matrix: the same numbers for the same seed, whatever else shares the batch. */
    @Test
    void theNetUsesEachRunsOwnMatrix() {
        int v = 5, h = 8;
        ModelConfig cfg = ModelConfig.ephemeral(h, 1);
        try (NDManager m = NDManager.newBaseManager();
             EphemeralNet net = new EphemeralNet(m, cfg, List.of(RunConfig.ephemeral(3, 1e-3, 10, 0.2, 0.7), RunConfig.ephemeral(9, 1e-3, 10, 0.2, 0.7)), v)) {
            float[] both = net.feedbackMatrix();
            assertArrayEquals(FeedbackMatrix.draw(3, v, h), Fixtures.slice(both, 0, v * h));
            assertArrayEquals(FeedbackMatrix.draw(9, v, h), Fixtures.slice(both, v * h, v * h));
        }
        assertFalse(java.util.Arrays.equals(FeedbackMatrix.draw(3, v, h), FeedbackMatrix.draw(4, v, h)), "another seed, another matrix");
    }
}
