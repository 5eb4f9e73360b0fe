package memlab.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import memlab.tasks.SequenceReversal;
import memlab.train.ParamSet;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Shapes and distributions of a pass, runs batched like alone, the score by hand, the reversal task, bad input named. */
class Seq2SeqTest {
    @Test
    void softAttentionIsADistributionOverTheSourceAndTheBaselineHasNone() {
        try (NDManager m = NDManager.newBaseManager(); ParamSet soft = new ParamSet(m, 2); ParamSet none = new ParamSet(m, 2)) {
            NDArray src = new SequenceReversal(5, 6).arrays(m, 3, new long[]{1, 2}, 0)[0];
            Seq2Seq.Pass p = new Seq2Seq(soft, new Seq2Seq.Config(5, 4, 8, 6, Attention.SOFT), new long[]{1, 2}).forward(src, null);
            assertArrayEquals(new long[]{2, 3, 6, 5}, p.logits().getShape().getShape());
            assertArrayEquals(new long[]{2, 3, 6, 6}, p.alignment().getShape().getShape());
            for (float s : p.alignment().sum(new int[]{3}).toFloatArray()) assertEquals(1f, s, 1e-5f);
            assertNull(p.logPolicy());
            Seq2Seq.Pass q = new Seq2Seq(none, new Seq2Seq.Config(5, 4, 8, 6, Attention.NONE), new long[]{1, 2}).forward(src, null);
            assertNull(q.alignment());
            assertFalse(none.all().containsKey("align.query.weight"), "no alignment model without attention");
        }
    }

    /**
     * Each time step closes its temporaries (an {@code NDScope}, as in the DNC): a pass leaves a handful of arrays per
     * step (the states, contexts, alignments), and what it returns, hard attention's log-policy included, is usable.
     */
    @Test
    void aPassKeepsOnlyWhatLaterStepsAndTheResultsNeed() {
        for (Attention kind : Attention.values())
            try (NDManager m = NDManager.newBaseManager(); ParamSet p = new ParamSet(m, 1); NDManager step = m.newSubManager()) {
                Seq2Seq model = new Seq2Seq(p, new Seq2Seq.Config(5, 4, 8, 6, kind), new long[]{1});
                NDArray src = new SequenceReversal(5, 12).arrays(step, 2, new long[]{1}, 0)[0];
                int before = step.getManagedArrays().size();
                Seq2Seq.Pass pass;
                try (ai.djl.training.GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                    pass = model.forward(src, kind == Attention.HARD ? new java.util.SplittableRandom[]{new java.util.SplittableRandom(1)} : null);
                    int perStep = (step.getManagedArrays().size() - before) / 12;
                    assertTrue(perStep <= 12, kind + ": arrays left per time step: " + perStep);
                    NDArray objective = pass.logits().sum();
                    if (pass.logPolicy() != null) objective = objective.add(pass.logPolicy().sum());
                    gc.backward(objective);
                }
                if (pass.alignment() != null) for (float s : pass.alignment().sum(new int[]{3}).toFloatArray()) assertEquals(1f, s, 1e-5f);
                for (NDArray w : p.all().values()) assertTrue(Float.isFinite(w.getGradient().abs().sum().toFloatArray()[0]), kind + ": a finite gradient");
            }
    }

    @Test
    void theScoreCountsArgmaxHitsAndWholeSequencesAndAveragesTheCrossEntropy() {
        // 2 runs x 2 sequences x 2 steps over 3 symbols; a tie goes to the first symbol, as the engine's argmax does
        float[][] z = {{1, 3, 2}, {0, 0, 5},   {2, 2, 1}, {0, 1, 0},      // run 0: right, right | wrong (tie → 0), right
                       {5, 0, 0}, {0, 5, 0},   {0, 0, 1}, {1, 0, 0}};     // run 1: wrong, wrong | right, right
        int[] y = {1, 2, 1, 1, 2, 0, 2, 0};
        float[] flat = new float[24];
        for (int i = 0; i < 8; i++) System.arraycopy(z[i], 0, flat, 3 * i, 3);
        try (NDManager m = NDManager.newBaseManager()) {
            Seq2Seq.Score s = Seq2Seq.score(m.create(flat, new ai.djl.ndarray.types.Shape(2, 2, 2, 3)), m.create(y, new ai.djl.ndarray.types.Shape(2, 2, 2)));
            assertArrayEquals(new float[]{0.75f, 0.5f}, s.accuracy());
            assertArrayEquals(new float[]{0.5f, 0.5f}, s.exact());
            double[] loss = new double[2], ll = new double[4];
            for (int i = 0; i < 8; i++) {
                double norm = 0;
                for (float v : z[i]) norm += Math.exp(v);
                ll[i / 2] += z[i][y[i]] - Math.log(norm);
                loss[i / 4] -= (z[i][y[i]] - Math.log(norm)) / 4;              // mean over the run's 2 x 2 symbols
            }
            float[] gotLl = s.logLikelihood().toFloatArray(), gotLoss = s.loss().toFloatArray();
            for (int q = 0; q < 4; q++) assertEquals(ll[q], gotLl[q], 1e-5, "log-likelihood of sequence " + q);
            for (int r = 0; r < 2; r++) assertEquals(loss[r], gotLoss[r], 1e-5, "loss of run " + r);
        }
    }

    @Test
    void aRunInsideABatchComputesAsItDoesAlone() {
        try (NDManager m = NDManager.newBaseManager(); ParamSet both = new ParamSet(m, 2); ParamSet alone = new ParamSet(m, 1)) {
            Seq2Seq.Config c = new Seq2Seq.Config(5, 4, 8, 6, Attention.SOFT);
            Seq2Seq pair = new Seq2Seq(both, c, new long[]{4, 9}), single = new Seq2Seq(alone, c, new long[]{9});
            SequenceReversal task = new SequenceReversal(5, 7);
            float[] two = pair.forward(task.arrays(m, 3, new long[]{4, 9}, 1)[0], null).logits().get(1).toFloatArray();
            float[] one = single.forward(task.arrays(m, 3, new long[]{9}, 1)[0], null).logits().get(0).toFloatArray();
            assertArrayEquals(one, two, 1e-5f);
        }
    }

    @Test
    void reversalTargetsAreTheSourceBackwardsAndSeeded() {
        SequenceReversal task = new SequenceReversal(7, 5);
        SequenceReversal.Batch b = task.batch(20, 3, 0);
        for (int s = 0; s < 20; s++)
            for (int t = 0; t < 5; t++) {
                assertEquals(b.sources()[s * 5 + 4 - t], b.targets()[s * 5 + t]);
                assertTrue(b.sources()[s * 5 + t] >= 0 && b.sources()[s * 5 + t] < 7);
            }
        assertArrayEquals(b.sources(), task.batch(20, 3, 0).sources());
        assertFalse(java.util.Arrays.equals(b.sources(), task.batch(20, 3, 1).sources()));
    }

    @Test
    void badInputNamesTheArgument() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Seq2Seq.Config(0, 4, 8, 6, Attention.SOFT));
        assertEquals("symbols must be a positive integer (> 0), got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Seq2Seq.Config(5, 4, -2, 6, Attention.SOFT));
        assertEquals("hidden must be a positive integer (> 0), got -2", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Seq2Seq.Config(5, 4, 8, 6, null));
        assertEquals("attention must be one of NONE, SOFT, HARD, got null", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Attention.parse("local"));
        assertEquals("attention must be one of [none, soft, hard], got 'local'", e.getMessage());
        assertEquals(Attention.HARD, Attention.parse(" Hard "));
        e = assertThrows(IllegalArgumentException.class, () -> new SequenceReversal(5, 0));
        assertEquals("length must be a positive integer (> 0), got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SequenceReversal(-1, 3));
        assertEquals("symbols must be a positive integer (> 0), got -1", e.getMessage());
        try (NDManager m = NDManager.newBaseManager(); ParamSet p = new ParamSet(m, 1)) {
            Seq2Seq model = new Seq2Seq(p, new Seq2Seq.Config(5, 4, 8, 6, Attention.HARD), new long[]{1});
            e = assertThrows(IllegalArgumentException.class, () -> ReversalTraining.step(model, memlab.train.Optimizer.adam(1e-3),
                    new SequenceReversal(5, 3), 2, new long[]{1}, 0, null));
            assertEquals("baseline must not be null for hard attention", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> model.forward(m.zeros(new ai.djl.ndarray.types.Shape(2, 1, 3), ai.djl.ndarray.types.DataType.INT32), null));
            assertTrue(e.getMessage().startsWith("sources must have shape (R = 1, B, L)"), e.getMessage());
        }
    }
}
