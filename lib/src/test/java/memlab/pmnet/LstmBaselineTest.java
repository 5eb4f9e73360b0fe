package memlab.pmnet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import memlab.mixers.SequenceModel;
import memlab.tasks.CopyPaste;
import memlab.train.Optimizer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/** The LSTM baseline of pm-copy: shapes, size matching, causality, runs kept apart, and that it learns. */
class LstmBaselineTest {
    @Test
    void shapesAndParameterCount() {
        var c = new LstmBaseline.Config(CopyPaste.VOCAB, 8, 12);
        try (NDManager base = NDManager.newBaseManager(); LstmBaseline net = new LstmBaseline(base, c, new long[]{1, 2})) {
            assertEquals(c.parameters(), net.params().sizePerRun(), "the formula counts every parameter");
            NDArray logits = net.logits(new CopyPaste(2, 1, 9).arrays(base, 3, new long[]{1, 2}, 0)[0]);
            assertEquals(new Shape(2, 3, 9, CopyPaste.VOCAB), logits.getShape());
            PhasorMemoryTest.assertMessage(() -> net.logits(base.zeros(new Shape(3, 9))), "tokens must have shape (R = 2, B, T)");
        }
    }

    /** {@link LstmBaseline.Config#matching}: no other hidden size comes closer to the target count. */
    @Test
    void matchingPicksTheClosestHiddenSize() {
        long target = 50_000;
        var c = LstmBaseline.Config.matching(target, CopyPaste.VOCAB, 16);
        long best = Math.abs(c.parameters() - target);
        for (int h = 1; h < 200; h++)
            assertTrue(Math.abs(new LstmBaseline.Config(CopyPaste.VOCAB, 16, h).parameters() - target) >= best, "hidden " + h + " is closer than " + c.hidden());
        assertEquals(1, LstmBaseline.Config.matching(1, CopyPaste.VOCAB, 16).hidden(), "a target below the smallest model gives hidden 1");
        PhasorMemoryTest.assertMessage(() -> new LstmBaseline.Config(258, 8, 0), "hidden");
    }

    /** The logits at t do not change when later tokens do; runs in one batch equal runs alone. */
    @Test
    void causalAndRunsApart() {
        var c = new LstmBaseline.Config(CopyPaste.VOCAB, 6, 7);
        try (NDManager base = NDManager.newBaseManager();
             LstmBaseline both = new LstmBaseline(base, c, new long[]{3, 4});
             LstmBaseline second = new LstmBaseline(base, c, new long[]{4})) {
            int[] tokens = {5, 9, 200, 7, 7, 1, 256, 3, 8, 9, 10, 11};
            int[] changed = tokens.clone();
            changed[5] = 99;
            float[] a = both.logits(base.create(tokens, new Shape(2, 1, 6))).toFloatArray();
            float[] b = both.logits(base.create(changed, new Shape(2, 1, 6))).toFloatArray();
            int v = CopyPaste.VOCAB;
            assertArrayEquals(Arrays.copyOf(a, 5 * v), Arrays.copyOf(b, 5 * v), "positions before the change");
            assertFalse(Arrays.equals(Arrays.copyOfRange(a, 5 * v, 6 * v), Arrays.copyOfRange(b, 5 * v, 6 * v)), "the changed position");
            float[] alone = second.logits(base.create(Arrays.copyOfRange(tokens, 6, 12), new Shape(1, 1, 6))).toFloatArray();
            assertArrayEquals(alone, Arrays.copyOfRange(a, 6 * v, 12 * v), 1e-6f);
        }
    }

    @Test
    void learnsARepeatedBatchAndTrainsInTheExperiment() {
        var c = new LstmBaseline.Config(CopyPaste.VOCAB, 8, 16);
        try (NDManager base = NDManager.newBaseManager(); LstmBaseline net = new LstmBaseline(base, c, new long[]{4}); Optimizer opt = Optimizer.adam(1e-2)) {
            CopyPaste task = new CopyPaste(2, 3, 12, 8);
            float first = CopyPasteTraining.step(net, opt, task, 4, new long[]{4}, 0).loss()[0], last = first;
            for (int i = 0; i < 20; i++) last = CopyPasteTraining.step(net, opt, task, 4, new long[]{4}, 0).loss()[0];
            assertTrue(last < 0.7 * first, "loss " + first + " → " + last);
        }
        var r = CopyPasteExperiment.train(new CopyPasteExperiment.Setup(c, new CopyPaste(2, 1, 8, 4), 4, 3, 1e-2, 1, new long[]{1, 2}));
        assertEquals(2, r.exactRetrieval().length);
    }

    /** The shared loss gives SequenceModel's numbers. */
    @Test
    void lossEqualsTheSequenceModels() {
        try (NDManager base = NDManager.newBaseManager(); PhasorNet net = new PhasorNet(base, PhasorNetTest.small(3, 2), new long[]{1, 2})) {
            NDArray[] data = new CopyPaste(2, 3, 12, 8).arrays(base, 3, new long[]{1, 2}, 0);
            NDArray logits = PhasorMemoryTest.normal(base, 5, "logits", 2, 2, 3, 12, CopyPaste.VOCAB);
            SequenceModel.Result ours = ByteModel.loss(logits, data[1], data[2]), theirs = net.model().lossFromLogits(logits, data[1], data[2]);
            assertArrayEquals(theirs.lossPerRun(), ours.lossPerRun(), 1e-6f);
            assertArrayEquals(theirs.accuracy(), ours.accuracy(), 1e-6f);
        }
    }
}
