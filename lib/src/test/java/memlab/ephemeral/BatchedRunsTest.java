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

    void sameAsAlone(ModelConfig cfg) {
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
}
