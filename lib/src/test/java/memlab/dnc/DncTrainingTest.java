package memlab.dnc;

import memlab.ntm.Controller;
import memlab.train.Optimizer;
import memlab.train.RunRecorder;
import memlab.train.Trainer;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Runs trained as one batched DNC follow the trajectories they follow alone (own seed, learning rate,
 * clipping, data; padding of shorter sequences changes nothing), a diverging run is frozen while the
 * others go on, and the snapshot of the trained model has the figure's shapes and is a distribution.
 */
class DncTrainingTest {
    static final DncTask TASK = DncTask.named("repeat-copy", 2, 3, 3, 2);
    static final DncTraining.Setup SETUP = new DncTraining.Setup(new DncConfig(5, 4, Controller.LSTM, 6, 5, 3, 2), TASK, Optimizer.Rule.ADAM, 4);
    static final Trainer.Listener QUIET = (step, steps, metrics) -> {};

    static double[] series(RunRecorder rec, int run, String metric) {
        Table t = rec.table();
        return t.where(t.intColumn("run").isEqualTo(run)).sortAscendingOn("step").doubleColumn(metric).asDoubleArray();
    }

    /**
     * Each time step's temporaries are closed at its end (an {@code NDScope}): the pass leaves in its manager
     * only the recurrent state and the recorded weightings of every step, about a dozen arrays a step (92 without the
     * scope), and its results and gradients are still there to use.
     */
    @Test
    void aPassKeepsOnlyTheStateOfEachStep() {
        DncConfig config = new DncConfig(5, 4, Controller.LSTM, 6, 5, 3, 2);
        int steps = 12;
        try (ai.djl.ndarray.NDManager base = ai.djl.ndarray.NDManager.newBaseManager()) {
            memlab.train.ParamSet params = new memlab.train.ParamSet(base, 1);
            Dnc dnc = new Dnc(params, config, new long[]{3});
            try (ai.djl.ndarray.NDManager m = base.newSubManager();
                 ai.djl.training.GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                ai.djl.ndarray.NDArray x = m.randomUniform(0, 1, new ai.djl.ndarray.types.Shape(1, 2, steps, 5));
                int before = m.getManagedArrays().size();
                Dnc.Pass pass = dnc.forward(x);
                int perStep = (m.getManagedArrays().size() - before) / steps;
                assertTrue(perStep <= 20, "arrays left per time step: " + perStep);
                for (ai.djl.ndarray.NDArray a : List.of(pass.logits(), pass.readWeights(), pass.writeWeights(), pass.usage(), pass.readModes(), pass.links(), pass.memory()))
                    assertFalse(a.isReleased());
                gc.backward(pass.logits().sum());
                for (ai.djl.ndarray.NDArray p : params.all().values()) {
                    double g = p.getGradient().abs().sum().toFloatArray()[0];
                    assertTrue(Double.isFinite(g) && g > 0, "a gradient reaches every parameter");
                }
            }
        }
    }

    @Test
    void batchedRunsFollowTheirTrajectoriesAlone() {
        List<DncTraining.Run> runs = List.of(new DncTraining.Run(1e-2, 10, 1), new DncTraining.Run(3e-3, Double.POSITIVE_INFINITY, 2));
        DncTraining.Result together = DncTraining.train(SETUP, runs, QUIET);
        for (int r = 0; r < runs.size(); r++) {
            DncTraining.Result alone = DncTraining.train(SETUP, List.of(runs.get(r)), QUIET);
            for (String metric : List.of(RunRecorder.LOSS, Trainer.GRAD_NORM, DncTraining.BIT_ERRORS)) {
                double[] a = series(alone.recorder(), 0, metric), b = series(together.recorder(), r, metric);
                assertEquals(SETUP.steps(), b.length);
                for (int s = 0; s < a.length; s++) assertEquals(a[s], b[s], 1e-4 * (1 + Math.abs(a[s])), "run " + r + " " + metric + " at step " + s);
            }
        }
        Snapshot s = together.snapshot();
        assertEquals(2, s.runs());
        assertEquals(5, s.slots());
        assertEquals(2, s.readHeads());
        assertEquals(s.runs() * s.steps() * s.slots(), s.usage().length);
        assertEquals(s.runs() * s.steps() * s.readHeads() * s.slots(), s.readWeights().length);
        assertEquals(s.runs() * s.slots() * s.slots(), s.links().length);
        for (float u : s.usage()) assertTrue(u >= 0 && u <= 1, "usage in [0, 1]: " + u);
        for (int r = 0; r < 2; r++) {
            float[][] l = s.links(r);
            for (int i = 0; i < 5; i++) {
                assertEquals(0f, l[i][i], "no self-links");
                double row = 0, col = 0;
                for (int j = 0; j < 5; j++) { row += l[i][j]; col += l[j][i]; }
                assertTrue(row <= 1 + 1e-5 && col <= 1 + 1e-5, "rows and columns of L sum to at most 1");
            }
            assertTrue(s.stepsOf()[r] > 0 && s.stepsOf()[r] <= s.steps());
            float[][] u = s.usage(r), w = s.writeWeights(r);
            assertEquals(5, u.length, "[slot][step]");
            assertEquals(s.steps(), w[0].length);
            assertArrayEquals(s.usageAt(r, 3), new float[]{u[0][3], u[1][3], u[2][3], u[3][3], u[4][3]}, "the same numbers as usageAt");
            assertEquals(s.writeWeights()[(r * s.steps() + 2) * 5 + 4], w[4][2]);
        }
    }

    @Test
    void aDivergingRunIsFrozenAndTheOthersGoOn() {
        List<DncTraining.Run> runs = List.of(new DncTraining.Run(1e-2, 10, 1), new DncTraining.Run(1e8, Double.POSITIVE_INFINITY, 2));
        DncTraining.Result res = DncTraining.train(new DncTraining.Setup(SETUP.model(), TASK, Optimizer.Rule.SGD, 6), runs, QUIET);
        assertTrue(res.recorder().diverged(1), "lr 1e8 without clipping should blow up");
        assertFalse(res.recorder().diverged(0));
    }
}
