package memlab.attention;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import memlab.core.Seeds;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The score-function estimate of {@link Reinforce} on a tiny example with a known answer: a choice
 * {@code j ~ softmax(z)} over 4 positions drawn by {@link HardAttention}, reward {@code f(j)} fixed.
 * Analytically {@code ∂E[f]/∂z = α ⊙ (f − E[f])}; the mean of N per-sample estimates
 * {@code (f(j) − b) ∇_z log α_j} must land within 4 standard errors of it for any baseline, and a
 * baseline equal to {@code E[f]} must lower the estimate's variance when the rewards sit far from 0.
 */
class ReinforceTest {
    static final double[] Z = {0.3, -0.5, 1.0, 0.1}, F = {11, 13, 8, 10.5};   // rewards far from 0, as log-likelihoods are
    static final int N = 20000;

    /** Per-sample gradient estimates {@code (N, K)} for baseline {@code b}. */
    static double[][] estimates(NDManager m, double b, long seed) {
        int k = Z.length;
        double[] rows = new double[N * k];
        for (int n = 0; n < N; n++) System.arraycopy(Z, 0, rows, n * k, k);
        NDArray z = m.create(rows, new Shape(1, N, k));          // one copy of z per sample: its gradient row is that sample's estimate
        z.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray alpha = z.softmax(2);
            NDArray choice = HardAttention.choose(alpha, new SplittableRandom[]{Seeds.stream(seed, "reinforce-test")});
            NDArray logPolicy = choice.mul(z.logSoftmax(2)).sum(new int[]{2});
            NDArray reward = choice.mul(m.create(F).reshape(1, 1, k)).sum(new int[]{2});
            gc.backward(Reinforce.surrogate(reward, logPolicy, new double[]{b}).mul(N).sum());
        }
        double[] g = z.getGradient().toDoubleArray();
        double[][] out = new double[N][k];
        for (int n = 0; n < N; n++) System.arraycopy(g, n * k, out[n], 0, k);
        return out;
    }

    static double[] analytic() {
        double[] a = new double[Z.length];
        double sum = 0, ef = 0;
        for (int j = 0; j < a.length; j++) sum += a[j] = Math.exp(Z[j]);
        for (int j = 0; j < a.length; j++) ef += (a[j] /= sum) * F[j];
        double[] g = new double[a.length];
        for (int j = 0; j < a.length; j++) g[j] = a[j] * (F[j] - ef);
        return g;
    }

    static double expectedReward() {
        double sum = 0, ef = 0;
        for (double z : Z) sum += Math.exp(z);
        for (int j = 0; j < Z.length; j++) ef += Math.exp(Z[j]) / sum * F[j];
        return ef;
    }

    @Test
    void scoreFunctionGradientMatchesItsExpectationForAnyBaseline() {
        double[] want = analytic();
        double[] variance = new double[2];
        double[] baselines = {0, expectedReward()};
        try (NDManager m = NDManager.newBaseManager()) {
            for (int c = 0; c < baselines.length; c++) {
                double[][] g = estimates(m, baselines[c], 5 + c);
                for (int j = 0; j < want.length; j++) {
                    double mean = 0, sq = 0;
                    for (double[] row : g) mean += row[j] / N;
                    for (double[] row : g) sq += (row[j] - mean) * (row[j] - mean) / (N - 1);
                    double se = Math.sqrt(sq / N);
                    assertTrue(se < 0.1, "the test can see a wrong gradient: standard error " + se);
                    assertEquals(want[j], mean, 4 * se, "baseline " + baselines[c] + ", ∂/∂z" + j + " (4 standard errors " + 4 * se + ")");
                    variance[c] += sq;
                }
            }
        }
        assertTrue(variance[1] < 0.1 * variance[0], "a baseline of E[f] lowers the variance: " + variance[1] + " vs " + variance[0] + " without");
    }

    @Test
    void hardAttentionDrawsWithTheAttentionProbabilities() {
        try (NDManager m = NDManager.newBaseManager()) {
            double[] p = {0.1, 0.6, 0.3};
            double[] rows = new double[N * 3];
            for (int n = 0; n < N; n++) System.arraycopy(p, 0, rows, n * 3, 3);
            NDArray choice = HardAttention.choose(m.create(rows, new Shape(1, N, 3)), new SplittableRandom[]{new SplittableRandom(1)});
            double[] freq = choice.sum(new int[]{0, 1}).div(N).toDoubleArray();
            for (int j = 0; j < 3; j++) assertEquals(p[j], freq[j], 4 * Math.sqrt(p[j] * (1 - p[j]) / N), "frequency of position " + j);
            assertEquals(N, choice.sum().getDouble(), 0, "exactly one position per row");
            double[] mode = HardAttention.choose(m.create(new double[]{0.1, 0.6, 0.3}, new Shape(1, 1, 3)), null).toDoubleArray();
            assertArrayEquals(new double[]{0, 1, 0}, mode, 0, "evaluation: the most probable position");
        }
    }

    /**
     * The selector is the engine's own memory: autograd keeps it for the backward pass of {@code z ⊙ x}, and a decoder
     * step closes it before then. Made from host numbers, it read a Java buffer that was freed once the array was
     * closed and collected, and the gradient read whatever the buffer held by then.
     */
    @Test
    void theSelectorOutlivesItsArrayForTheBackwardPass() {
        try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            NDArray alpha = m.create(new float[]{0.1f, 0.7f, 0.2f, 0.3f, 0.3f, 0.4f}, new Shape(1, 2, 3));
            for (int trial = 0; trial < 100; trial++) {
                NDArray x = m.create(new float[]{1, 2, 3, 4, 5, 6}, new Shape(1, 2, 3));
                x.setRequiresGradient(true);
                float[] chosen;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray y;
                    try (ai.djl.ndarray.NDScope scope = new ai.djl.ndarray.NDScope()) {
                        NDArray z = HardAttention.choose(alpha, new SplittableRandom[]{new SplittableRandom(trial)});
                        chosen = z.toFloatArray();
                        y = z.mul(x).sum();
                        ai.djl.ndarray.NDScope.unregister(y);
                    }
                    for (int i = 0; i < 50; i++) m.create(new float[]{7f * i, 7f, 7f, 7f, 7f, 7f}).add(5.0).close();   // reuse of host buffers
                    if (trial % 10 == 0) System.gc();
                    gc.backward(y);
                }
                assertArrayEquals(chosen, x.getGradient().toFloatArray(), 0, "trial " + trial + ": d(z·x)/dx = z");
            }
        }
    }

    @Test
    void movingAverageBaseline() {
        try (NDManager m = NDManager.newBaseManager()) {
            Reinforce r = new Reinforce(2, 0.9);
            r.update(m.create(new double[]{1, 3, 10, 20}, new Shape(2, 2)));
            assertArrayEquals(new double[]{2, 15}, r.baseline(), 1e-12, "starts at the first batch's mean");
            r.update(m.create(new double[]{4, 4, 5, 5}, new Shape(2, 2)));
            assertArrayEquals(new double[]{0.9 * 2 + 0.1 * 4, 0.9 * 15 + 0.1 * 5}, r.baseline(), 1e-12);
            var e = assertThrows(IllegalArgumentException.class, () -> new Reinforce(1, 1.0));
            assertEquals("momentum must be in [0, 1), got 1.0", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> new Reinforce(0, 0.5));
            assertEquals("runs must be a positive integer (> 0), got 0", e.getMessage());
        }
    }
}
