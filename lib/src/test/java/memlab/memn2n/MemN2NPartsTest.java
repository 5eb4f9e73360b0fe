package memlab.memn2n;

import ai.djl.ndarray.NDManager;
import memlab.tasks.BabiStories;
import memlab.tasks.BabiTask;
import memlab.tasks.StoryBatch;
import memlab.tasks.Vocabulary;
import memlab.train.ParamSet;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Position encoding by hand, runs batched like alone, and bad sizes named. */
class MemN2NPartsTest {
    @Test
    void positionEncodingByHand() {
        // J = 4, d = 2: l_kj = (1 − j/4) − (k/2)(1 − j/2)
        assertEquals(0.75 - 0.5 * 0.5, PositionEncoding.weight(1, 1, 4, 2), 1e-15);   // 0.5
        assertEquals(0.75 - 1.0 * 0.5, PositionEncoding.weight(1, 2, 4, 2), 1e-15);   // 0.25
        assertEquals(0.0 - 0.5 * -1.0, PositionEncoding.weight(4, 1, 4, 2), 1e-15);   // 0.5
        assertEquals(0.0 - 1.0 * -1.0, PositionEncoding.weight(4, 2, 4, 2), 1e-15);   // 1
        // a sentence of 2 words (J = 2) in 3 slots, d = 2: l_kj = (1 − j/2) − (k/2)(1 − j); 0 for the padding
        double[] l = PositionEncoding.weights(new int[]{2}, 3, 2, true);
        assertArrayEquals(new double[]{0.5, 0.5, 0.5, 1, 0, 0}, l, 1e-15);
        assertArrayEquals(new double[]{1, 1, 1, 1, 0, 0}, PositionEncoding.weights(new int[]{2}, 3, 2, false), 0);
    }

    @Test
    void scoreIsTheMeanCrossEntropyAndTheShareOfArgmaxAnswersPerRun() {
        // 2 runs, batch 3, vocabulary 4: run 0's argmax is right twice (1, 3) and wrong once, run 1's once (3)
        double[] logits = {0, 2, 1, 0,   5, 1, 0, 0,   0, 0, 1, 3,
                           1, 0, 0, 0,   0, 0, 0, 2,   2, 1, 0, 0};
        int[] answer = {1, 1, 3,   2, 3, 1};
        int runs = 2, b = 3, v = 4;
        StoryBatch batch = new StoryBatch(runs, b, 1, 1, new int[runs * b], new int[runs * b], new int[runs * b], new int[runs * b], answer, new int[runs * b]);
        try (NDManager m = NDManager.newBaseManager()) {
            MemN2N.Score s = MemN2N.score(m.create(logits, new ai.djl.ndarray.types.Shape(runs, b, v)), batch, m);
            assertArrayEquals(new float[]{2f / 3, 1f / 3}, s.accuracy(), 0);
            double[] loss = s.loss().toDoubleArray();
            for (int r = 0; r < runs; r++) {
                double sum = 0;
                for (int i = 0; i < b; i++) {
                    int at = (r * b + i) * v;
                    double z = 0;
                    for (int k = 0; k < v; k++) z += Math.exp(logits[at + k]);
                    sum += Math.log(z) - logits[at + answer[r * b + i]];
                }
                assertEquals(sum / b, loss[r], 1e-12, "run " + r + ": mean cross-entropy");
            }
        }
    }

    @Test
    void aRunInsideABatchAnswersAsItDoesAlone() {
        MemN2N.Config config = new MemN2N.Config(Vocabulary.babi().size(), 8, 6, 7, 2, true, true);
        BabiStories task = new BabiStories(BabiTask.SINGLE_SUPPORTING_FACT, 6);
        try (NDManager m = NDManager.newBaseManager(); ParamSet both = new ParamSet(m, 2); ParamSet alone = new ParamSet(m, 1)) {
            MemN2N pair = new MemN2N(both, config, new long[]{11, 12}), single = new MemN2N(alone, config, new long[]{12});
            StoryBatch b2 = StoryTraining.batch(pair, task, Vocabulary.babi(), 4, new long[]{11, 12}, 3);
            StoryBatch b1 = StoryTraining.batch(single, task, Vocabulary.babi(), 4, new long[]{12}, 3);
            float[] two = pair.forward(b2, m).logits().get(1).toFloatArray(), one = single.forward(b1, m).logits().get(0).toFloatArray();
            assertArrayEquals(one, two, 1e-6f);
        }
    }

    @Test
    void badSizesNameTheArgument() {
        var e = assertThrows(IllegalArgumentException.class, () -> new MemN2N.Config(10, 4, 5, 6, 0, true, true));
        assertEquals("hops must be a positive integer (> 0), got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MemN2N.Config(10, -1, 5, 6, 1, true, true));
        assertTrue(e.getMessage().startsWith("embedding must be a positive integer"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MemN2N.Config(10, 4, 0, 6, 1, true, true));
        assertTrue(e.getMessage().startsWith("memory must be a positive integer"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MemN2N.Config(0, 4, 5, 6, 1, true, true));
        assertTrue(e.getMessage().startsWith("vocabulary must be a positive integer"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MemN2N.Config(10, 4, 5, 0, 1, true, true));
        assertTrue(e.getMessage().startsWith("words must be a positive integer"), e.getMessage());
        try (NDManager m = NDManager.newBaseManager(); ParamSet p = new ParamSet(m, 1)) {
            MemN2N model = new MemN2N(p, new MemN2N.Config(10, 4, 2, 3, 1, true, true), new long[]{0});
            StoryBatch tooLong = new StoryBatch(1, 1, 2, 3, new int[6], new int[]{4, 0}, new int[3], new int[]{1}, new int[]{1}, new int[2]);
            e = assertThrows(IllegalArgumentException.class, () -> model.forward(tooLong, m));
            assertEquals("sentence length 4 outside 0..3 (words)", e.getMessage());
        }
    }
}
