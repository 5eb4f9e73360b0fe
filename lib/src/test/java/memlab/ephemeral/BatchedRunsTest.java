package memlab.ephemeral;

import ai.djl.ndarray.NDManager;
import memlab.tasks.chars.CharBatch;
import memlab.tasks.chars.KeyRecall;
import memlab.tasks.chars.ReversedSequence;
import memlab.train.Divergence;
import memlab.train.RunRecorder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Runs as a batch dimension: each run of a batched model follows the trajectory it has alone. */
class BatchedRunsTest {
    static final List<RunConfig> RUNS = List.of(
            new RunConfig(1, 1e-2, 300, 0.2, 0.7, Double.POSITIVE_INFINITY),
            new RunConfig(2, 3e-2, 100, 0.1, 0.5, 0.3),
            new RunConfig(1, 5e-3, 1000, 0.3, 0.9, Double.POSITIVE_INFINITY));

    void sameAsAlone(ModelConfig cfg) { sameAsAlone(cfg, RUNS); }

    void sameAsAlone(ModelConfig cfg, List<RunConfig> RUNS) {
        ReversedSequence task = ReversedSequence.threeChar();
        int steps = 4;
        EphemeralTraining.Result batched = EphemeralTraining.train("b", task, cfg, RUNS, steps, Divergence.NON_FINITE, null);
        for (int r = 0; r < RUNS.size(); r++) {
            EphemeralTraining.Result alone = EphemeralTraining.train("a", task, cfg, List.of(RUNS.get(r)), steps, Divergence.NON_FINITE, null);
            for (String metric : List.of(RunRecorder.LOSS, EphemeralNet.GRAD_HIGH, EphemeralNet.GRAD_LOW)) {
                var tb = batched.recorder().table();
                var ta = alone.recorder().table();
                double[] b = tb.where(tb.intColumn("run").isEqualTo(r)).doubleColumn(metric).asDoubleArray();
                double[] a = ta.doubleColumn(metric).asDoubleArray();
                assertEquals(a.length, b.length, "steps of run " + r);
                for (int s = 0; s < a.length; s++)
                    assertEquals(a[s], b[s], 1e-4 * Math.max(1, Math.abs(a[s])), metric + " of run " + r + " at step " + s + " (" + cfg + ")");
            }
        }
    }

    @Test
    void ephemeralDfaBatchedEqualsAlone() { sameAsAlone(ModelConfig.ephemeral(32, 3)); }

    @Test
    void recurrentBpttNoResetBatchedEqualsAlone() {
        sameAsAlone(new ModelConfig(16, 2, true, Updater.BPTT, false, DecayTarget.DEVIATION));
    }

    @Test
    void recurrentBackpropBatchedEqualsAlone() {
        sameAsAlone(new ModelConfig(16, 2, true, Updater.BACKPROP, true, DecayTarget.VALUE));
    }

    /** The authors' switches on (GELU; zero start for some runs, uniform beside them): still each run as trained alone. */
    @Test
    void zeroStartGeluBatchedEqualsAlone() {
        sameAsAlone(ModelConfig.ephemeral(32, 3).withActivation(HiddenActivation.GELU), MIXED_INIT);
    }

    @Test
    void recurrentBackpropGeluBatchedEqualsAlone() {
        sameAsAlone(new ModelConfig(16, 2, true, Updater.BACKPROP, true, DecayTarget.VALUE).withActivation(HiddenActivation.GELU), MIXED_INIT);
    }

    /** {@link #RUNS} with the first and last starting from zero weights. */
    static final List<RunConfig> MIXED_INIT = List.of(RUNS.get(0).withInit(Initialisation.ZERO_WEIGHTS), RUNS.get(1),
            RUNS.get(2).withInit(Initialisation.ZERO_WEIGHTS));

    /** A run that explodes is frozen and recorded as diverged; the others are unaffected. */
    @Test
    void divergedRunIsFrozenOthersGoOn() {
        List<RunConfig> runs = List.of(RunConfig.ephemeral(1, 1e-2, 300, 0.2, 0.7), RunConfig.ephemeral(1, 50, 1e5, 0.5, 1.0));
        ModelConfig cfg = ModelConfig.ephemeral(32, 2).withUpdater(Updater.BACKPROP);
        EphemeralTraining.Result r = EphemeralTraining.train("d", KeyRecall.paper(), cfg, runs, 6, EphemeralTraining.EXPLODED, null);
        assertTrue(r.recorder().diverged(1), "run with lr 50, α 1e5 should explode");
        assertFalse(r.recorder().diverged(0));
        EphemeralTraining.Result alone = EphemeralTraining.train("a", KeyRecall.paper(), cfg, runs.subList(0, 1), 6, EphemeralTraining.EXPLODED, null);
        assertEquals(alone.finalLoss(0), r.finalLoss(0), 1e-4);
    }

    /** Evaluation updates ephemeral weights on a copy: slow weights and ephemeral state stay as they were; steps leave no arrays behind. */
    @Test
    void evaluationLeavesStateAndNoArraysBehind() {
        ModelConfig cfg = ModelConfig.ephemeral(16, 2).withReset(false);
        try (NDManager m = NDManager.newBaseManager(); EphemeralNet net = new EphemeralNet(m, cfg, RUNS, KeyRecall.paper().alphabet().size())) {
            long[] seeds = {1, 2, 1};
            net.step(CharBatch.draw(KeyRecall.paper(), seeds, 2, "train", 0), true);
            int arrays = net.params().manager().getManagedArrays().size();
            float[] e = net.ephemeralInput(), w = net.params().get("input.weight").toFloatArray();
            Map<String, float[]> metrics = net.step(CharBatch.draw(KeyRecall.paper(), seeds, 2, "eval", 0), false);
            assertTrue(Float.isFinite(metrics.get(RunRecorder.LOSS)[0]));
            assertArrayEquals(e, net.ephemeralInput());
            assertArrayEquals(w, net.params().get("input.weight").toFloatArray());
            for (int s = 1; s < 20; s++) net.step(CharBatch.draw(KeyRecall.paper(), seeds, 2, "train", s), true);
            assertEquals(arrays, net.params().manager().getManagedArrays().size(), "arrays left behind by steps");
        }
    }

    /**
     * Sequences of a batch are independent: a B = 2 step (sequences of different lengths, so one is
     * padded) gives the count-weighted mean loss of the two sequences stepped alone, and its slow
     * weights are the mean of the two B = 1 updates (slow gradients are averaged over the batch).
     */
    void sequencesIndependent(ModelConfig cfg) {
        RunConfig run = new RunConfig(3, 2e-2, 200, 0.3, 0.7, Double.POSITIVE_INFINITY);
        int V = 5;
        int[][] in = {{0, 3, 1, 4}, {2, 2, 0, 0}}, out = {{3, 1, 4, 2}, {2, 1, 0, 0}};
        int[] len = {4, 2};
        int T = 4;
        int[] input = new int[2 * T], target = new int[2 * T];
        boolean[] valid = new boolean[2 * T];
        for (int b = 0; b < 2; b++)
            for (int t = 0; t < len[b]; t++) {
                input[b * T + t] = in[b][t];
                target[b * T + t] = out[b][t];
                valid[b * T + t] = true;
            }
        CharBatch both = new CharBatch(1, 2, T, input, target, valid, new boolean[2 * T], List.of());
        try (NDManager m = NDManager.newBaseManager(); EphemeralNet two = new EphemeralNet(m, cfg.withBatch(2), List.of(run), V)) {
            float eval = two.step(both, false).get(RunRecorder.LOSS)[0];
            float train = two.step(both, true).get(RunRecorder.LOSS)[0];
            assertEquals(eval, train, 1e-6, "evaluation and training see the same predictions");
            double lossSum = 0;
            float[][] slow = new float[2][];
            for (int b = 0; b < 2; b++) {
                try (EphemeralNet one = new EphemeralNet(m, cfg.withBatch(1), List.of(run), V)) {
                    CharBatch alone = Fixtures.single(java.util.Arrays.copyOf(in[b], len[b]), java.util.Arrays.copyOf(out[b], len[b]));
                    lossSum += one.step(alone, true).get(RunRecorder.LOSS)[0] * len[b];
                    slow[b] = one.params().get("output.weight").toFloatArray();
                }
            }
            assertEquals(lossSum / (len[0] + len[1]), train, 1e-5, "batch loss = count-weighted mean of the sequences' losses");
            float[] mean = new float[slow[0].length];
            for (int k = 0; k < mean.length; k++) mean[k] = (slow[0][k] + slow[1][k]) / 2;
            Fixtures.assertClose(mean, two.params().get("output.weight").toFloatArray(), 1e-5, "output.weight after a B = 2 step");
        }
    }

    @Test
    void sequencesOfABatchAreIndependentDfa() { sequencesIndependent(ModelConfig.ephemeral(16, 1).withUpdater(Updater.DFA)); }

    @Test
    void sequencesOfABatchAreIndependentRecurrentBackprop() { sequencesIndependent(ModelConfig.rnn(16, 1).withUpdater(Updater.BACKPROP)); }

    @Test
    void sequencesOfABatchAreIndependentBptt() { sequencesIndependent(ModelConfig.ephemeral(16, 1).withUpdater(Updater.BPTT)); }
}
