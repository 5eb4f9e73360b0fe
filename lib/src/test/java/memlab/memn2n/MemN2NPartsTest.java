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
    }
}
