package memlab.ntm;

import memlab.tasks.BitCopyTask;
import memlab.train.DeferredWeightGradients;
import memlab.train.Optimizer;
import memlab.train.RunRecorder;
import memlab.train.Trainer;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Runs of the recipe grid trained as one batched model follow the trajectories they follow trained
 * alone (their own init, clipping, curriculum and seed; padding of shorter sequences changes
 * nothing), and a run that diverges is frozen and recorded while the others go on.
 */
class NtmBatchedRunsTest {
    static final NtmConfig MODEL = new NtmConfig(4, 3, Controller.LSTM, 6, 8, 3, 1, 1, 1, true);
    static final NtmCopyTraining.Setup SETUP = new NtmCopyTraining.Setup(MODEL, new BitCopyTask(3, 3, 5, 2), Optimizer.Rule.ADAM, 5);
    static final Trainer.Listener QUIET = (step, steps, metrics) -> {};

    static double[] series(RunRecorder rec, int run, String metric) {
        Table t = rec.table();
        return t.where(t.intColumn("run").isEqualTo(run)).sortAscendingOn("step").doubleColumn(metric).asDoubleArray();
    }

    @Test
    void batchedRunsFollowTheirTrajectoriesAlone() {
        RunRecorder together = trainBatchedAndCompareAlone(List.of(
                new NtmCopyTraining.Run(MemoryInit.CONSTANT, 1e-2, 10, true, 1),
                new NtmCopyTraining.Run(MemoryInit.LEARNED, 3e-3, Double.POSITIVE_INFINITY, false, 2),
                new NtmCopyTraining.Run(MemoryInit.RANDOM, 1e-2, 0.5, true, 3)), DeferredWeightGradients.MIN_BYTES);
        // the grid's cells really differ: different seeds and curricula give different lengths
        assertNotEquals(series(together, 0, NtmCopyTraining.LENGTH)[4], series(together, 1, NtmCopyTraining.LENGTH)[4]);
    }

    /**
     * The batched grid with every per-step weight gradient deferred to once per sequence
     * ({@link DeferredWeightGradients}) against each run alone through autograd step by step.
     */
    @Test
    void batchedRunsWithDeferredWeightGradientsFollowTheirTrajectoriesAlone() {
        trainBatchedAndCompareAlone(List.of(
                new NtmCopyTraining.Run(MemoryInit.LEARNED, 1e-2, 10, true, 1),
                new NtmCopyTraining.Run(MemoryInit.RANDOM, 3e-3, Double.POSITIVE_INFINITY, false, 2),
                new NtmCopyTraining.Run(MemoryInit.CONSTANT, 1e-2, 0.5, false, 3)), 0);
    }

    /**
     * Trains {@code runs} as one batched model (weight gradients deferred above {@code deferMinBytes}) and each
     * alone (never deferred), and checks that every run's loss, gradient norm and length follow the same curve.
     */
    static RunRecorder trainBatchedAndCompareAlone(List<NtmCopyTraining.Run> runs, long deferMinBytes) {
        RunRecorder together;
        try {
            NtmCopyTraining.deferMinBytes = deferMinBytes;
            together = NtmCopyTraining.train(SETUP, runs, QUIET);
            NtmCopyTraining.deferMinBytes = Long.MAX_VALUE;
            for (int r = 0; r < runs.size(); r++) {
                RunRecorder alone = NtmCopyTraining.train(SETUP, List.of(runs.get(r)), QUIET);
                for (String metric : List.of(RunRecorder.LOSS, Trainer.GRAD_NORM, NtmCopyTraining.LENGTH)) {
                    double[] a = series(alone, 0, metric), b = series(together, r, metric);
                    assertEquals(SETUP.steps(), b.length);
                    for (int s = 0; s < a.length; s++)
                        assertEquals(a[s], b[s], 1e-4 * (1 + Math.abs(a[s])), "run " + r + " " + metric + " at step " + s);
                }
            }
        } finally {
            NtmCopyTraining.deferMinBytes = DeferredWeightGradients.MIN_BYTES;
        }
        return together;
    }

    @Test
    void aDivergingRunIsFrozenAndTheOthersGoOn() {
        List<NtmCopyTraining.Run> runs = List.of(
                new NtmCopyTraining.Run(MemoryInit.CONSTANT, 1e-2, 10, false, 1),
                new NtmCopyTraining.Run(MemoryInit.CONSTANT, 1e6, Double.POSITIVE_INFINITY, false, 2));
        RunRecorder rec = NtmCopyTraining.train(SETUP, runs, QUIET);
        assertTrue(rec.diverged(1), "lr 1e6 without clipping should blow up");
        assertFalse(rec.diverged(0));
        assertEquals(SETUP.steps(), series(rec, 0, RunRecorder.LOSS).length);
        RunRecorder alone = NtmCopyTraining.train(SETUP, List.of(runs.get(0)), QUIET);
        assertArrayEquals(series(alone, 0, RunRecorder.LOSS), series(rec, 0, RunRecorder.LOSS), 1e-4);
    }

    @Test
    void diagnosticsAreTracedEveryFewStepsAndAfterTheLast() {
        List<NtmCopyTraining.Run> runs = List.of(new NtmCopyTraining.Run(MemoryInit.CONSTANT, 1e-2, 10, true, 1),
                new NtmCopyTraining.Run(MemoryInit.RANDOM, 1e-2, 10, false, 2));
        NtmCopyTraining.Result res = NtmCopyTraining.train(SETUP, runs, QUIET, ntm -> new NtmProbe(ntm, SETUP.task(), new long[]{1, 2}, 3, 99), 2);
        assertEquals(List.of(0, 2, 4), res.trace().steps());
        assertEquals(2, res.trace().last().loss().length);
        // the measurements change nothing: the curves are those of a run without them
        RunRecorder plain = NtmCopyTraining.train(SETUP, runs, QUIET);
        for (int r = 0; r < 2; r++)
            assertArrayEquals(series(plain, r, RunRecorder.LOSS), series(res.recorder(), r, RunRecorder.LOSS), 1e-6);
    }
}
