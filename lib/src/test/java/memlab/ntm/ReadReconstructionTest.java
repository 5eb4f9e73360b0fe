package memlab.ntm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import memlab.tasks.BitCopyTask;
import memlab.train.RunRecorder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The auxiliary reconstruction loss against a plain loop over the host arrays, and its wiring into
 * training: runs without it (λ = 0) train exactly as before when batched with runs that use it.
 */
class ReadReconstructionTest {
    @Test
    void costMatchesALoopOverStepsBitsAndSequences() {
        BitCopyTask task = new BitCopyTask(3, 4, 5, 1);
        try (NDManager m = NDManager.newBaseManager()) {
            long[] seeds = {7, 8};
            BitCopyTask.Batch batch = task.batch(m, seeds, new boolean[]{false, false}, 3);
            int runs = 2, b = 3, steps = (int) batch.inputs().getShape().get(2), bits = 4;
            float[] z = new float[runs * b * steps * bits];
            SplittableRandom rng = new SplittableRandom(1);
            for (int i = 0; i < z.length; i++) z[i] = (float) (rng.nextDouble() * 6 - 3);
            NDArray logits = m.create(z, new Shape(runs, b, steps, bits));
            float[] got = ReadReconstruction.costBits(logits, batch).toFloatArray();
            float[] x = batch.inputs().toFloatArray();
            for (int r = 0; r < runs; r++) {
                double sum = 0;
                for (int s = 0; s < b; s++)
                    for (int t = 1; t <= batch.lengths()[r]; t++)            // reads of step t reconstruct x_{t-1}
                        for (int k = 0; k < bits; k++) {
                            double zz = z[((r * b + s) * steps + t) * bits + k];
                            double y = x[((r * b + s) * steps + t - 1) * (bits + 1) + k];
                            double p = 1 / (1 + Math.exp(-zz));
                            sum += -(y * Math.log(p) + (1 - y) * Math.log(1 - p)) / Math.log(2);
                        }
                assertEquals(sum / b, got[r], 1e-4 * sum, "run " + r);
            }
            assertNotEquals(batch.lengths()[0], batch.lengths()[1], "the two runs should test different lengths (masks)");
        }
    }

    @Test
    void runsWithoutTheLossTrainAsBeforeBesideRunsWithIt() {
        NtmCopyTraining.Setup setup = NtmBatchedRunsTest.SETUP;
        NtmCopyTraining.Run plain = new NtmCopyTraining.Run(MemoryInit.CONSTANT, 1e-2, 10, false, 1);
        NtmCopyTraining.Run aux = new NtmCopyTraining.Run(MemoryInit.CONSTANT, 1e-2, 10, false, 1, 0.5);
        RunRecorder together = NtmCopyTraining.train(setup, List.of(aux, plain), NtmBatchedRunsTest.QUIET);
        RunRecorder alone = NtmCopyTraining.train(setup, List.of(plain), NtmBatchedRunsTest.QUIET);
        assertArrayEquals(NtmBatchedRunsTest.series(alone, 0, RunRecorder.LOSS), NtmBatchedRunsTest.series(together, 1, RunRecorder.LOSS), 1e-4);
        // the aux run minimises cost + λ·reconstruction, and both parts are recorded
        double[] loss = NtmBatchedRunsTest.series(together, 0, RunRecorder.LOSS), cost = NtmBatchedRunsTest.series(together, 0, NtmCopyTraining.COST),
                rec = NtmBatchedRunsTest.series(together, 0, NtmCopyTraining.RECONSTRUCTION);
        for (int s = 0; s < loss.length; s++) assertEquals(cost[s] + 0.5 * rec[s], loss[s], 1e-3 * loss[s]);
        assertTrue(rec[0] > 0);
        // same weights, same data at step 0: same cost before any update
        assertEquals(NtmBatchedRunsTest.series(alone, 0, RunRecorder.LOSS)[0], cost[0], 1e-4);
        // from step 1 on the auxiliary gradient has moved the aux run elsewhere
        assertNotEquals(NtmBatchedRunsTest.series(alone, 0, RunRecorder.LOSS)[2], cost[2], 1e-6);
    }

    @Test
    void badWeightFails() {
        NtmBadInputTest.fails(() -> new NtmCopyTraining.Run(MemoryInit.CONSTANT, 1e-2, 10, false, 1, -0.1), "reconstruction", ">= 0");
        NtmBadInputTest.fails(() -> new NtmCopyTraining.Run(MemoryInit.CONSTANT, 1e-2, 10, false, 1, Double.NaN), "reconstruction");
    }
}
