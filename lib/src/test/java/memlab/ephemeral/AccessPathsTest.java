package memlab.ephemeral;

import ai.djl.ndarray.NDManager;
import memlab.tasks.chars.CharBatch;
import memlab.tasks.chars.KeyRecall;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link EphemeralNet} reads and writes E as one-hot products (small models) or as gathered rows
 * (large ones). The other tests run with small models, i.e. the one-hot path; here the row path
 * passes the same independent checks, the two paths agree step by step, and the decay scale's
 * renormalisation is exact on both.
 */
class AccessPathsTest {
    private static void withRowAccess(Runnable body) {
        long saved = EphemeralNet.denseAccessLimit;
        EphemeralNet.denseAccessLimit = 0;
        try {
            body.run();
        } finally {
            EphemeralNet.denseAccessLimit = saved;
        }
    }

    @Test
    void rowAccessMatchesAutogradAndHandComputation() {
        withRowAccess(() -> {
            GradientFormulaTest g = new GradientFormulaTest();
            g.backpropEphemeralMatchesAutograd();
            g.backpropRecurrentMatchesAutograd();
            g.backpropDeviationMatchesAutograd();
            g.bpttRecurrentMatchesAutograd();
            g.bpttWithoutRecurrenceMatchesAutograd();
            g.dfaMatchesHandComputation();
            g.gradientNormsMatchAutogradEphemeral();
            g.gradientNormsMatchAutogradRecurrent();
        });
    }

    @Test
    void rowAccessDecaysClipsAndBatchesAsDocumented() {
        withRowAccess(() -> {
            DecayAndClipTest d = new DecayAndClipTest();
            d.valueDecaysByGammaPerCharacter();
            d.resetWipesEphemeralWeights();
            d.clippingBoundsEveryWeight();
            BatchedRunsTest b = new BatchedRunsTest();
            b.ephemeralDfaBatchedEqualsAlone();
            b.recurrentBackpropBatchedEqualsAlone();
            b.recurrentBpttNoResetBatchedEqualsAlone();
            b.sequencesOfABatchAreIndependentDfa();
            b.sequencesOfABatchAreIndependentBptt();
        });
    }

    /** Mixed runs (clipped and not, recurrence, no reset, a small forget rate): both paths give the same numbers. */
    @Test
    void bothPathsAgreeStepByStep() {
        List<RunConfig> runs = List.of(
                new RunConfig(1, 1e-2, 300, 0.2, 0.3, Double.POSITIVE_INFINITY),
                new RunConfig(2, 3e-2, 100, 0.1, 0.5, 0.3));
        for (DecayTarget target : DecayTarget.values()) {
            ModelConfig cfg = new ModelConfig(16, 2, true, Updater.BACKPROP, false, target);
            float[][] dense = trajectory(cfg, runs);
            float[][][] rows = new float[1][][];
            withRowAccess(() -> rows[0] = trajectory(cfg, runs));
            for (int i = 0; i < dense.length; i++)
                Fixtures.assertClose(dense[i], rows[0][i], 1e-5, target + ": quantity " + i);
        }
    }

    /** Loss and E after each of 6 steps, then the slow weights. */
    private static float[][] trajectory(ModelConfig cfg, List<RunConfig> runs) {
        float[][] out = new float[2 * 6 + 1][];
        try (NDManager m = NDManager.newBaseManager(); EphemeralNet net = new EphemeralNet(m, cfg, runs, KeyRecall.paper().alphabet().size())) {
            long[] seeds = {1, 2};
            for (int s = 0; s < 6; s++) {
                Map<String, float[]> metrics = net.step(CharBatch.draw(KeyRecall.paper(), seeds, cfg.batch(), "train", s), true);
                out[2 * s] = metrics.get(EphemeralNet.LOSS);
                out[2 * s + 1] = net.ephemeralInput();
            }
            out[12] = net.params().get("input.weight").toFloatArray();
        }
        return out;
    }

    /**
     * γ = 0.05 over 12 characters takes the lazy scale below its renormalisation floor (1e-12)
     * within the step; E must still be exactly γ^12 times its start (negligible updates).
     */
    @Test
    void renormalisationIsExactOnBothPaths() {
        checkRenormalisation();
        withRowAccess(AccessPathsTest::checkRenormalisation);
    }

    private static void checkRenormalisation() {
        double gamma = 0.05;
        RunConfig run = new RunConfig(5, 1e-30, 1, 0.3, gamma, Double.POSITIVE_INFINITY);   // updates ≪ γ^12 · E
        ModelConfig cfg = new ModelConfig(8, 1, false, Updater.DFA, false, DecayTarget.VALUE);
        try (NDManager m = NDManager.newBaseManager(); EphemeralNet net = new EphemeralNet(m, cfg, List.of(run), 4)) {
            float[] e0 = net.ephemeralInput();
            int[] in = new int[12], out = new int[12];
            for (int t = 0; t < 12; t++) {
                in[t] = t % 4;
                out[t] = (t + 1) % 4;
            }
            net.step(Fixtures.single(in, out), true);
            float[] e1 = net.ephemeralInput();
            double f = Math.pow(gamma, 12);
            boolean any = false;
            for (int k = 0; k < e0.length; k++) {
                any |= e0[k] != 0;
                assertEquals(e0[k] * f, e1[k], 1e-5 * Math.abs(e0[k] * f) + 1e-30, "entry " + k);
            }
            assertTrue(any, "test is vacuous: E starts at 0");
        }
    }
}
