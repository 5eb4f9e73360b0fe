package memlab.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The NTM copy task: layout, seeding, curriculum, padding and the cost in bits. */
class BitCopyTaskTest {
    @Test
    void layoutDelimiterAndTargetsAfterIt() {
        BitCopyTask task = new BitCopyTask(2, 8, 20, 10);
        try (NDManager m = NDManager.newBaseManager()) {
            BitCopyTask.Batch b = task.batch(m, new long[]{7}, new boolean[]{false}, 3);
            int l = b.lengths()[0], steps = 2 * l + 1;
            assertArrayEquals(new long[]{1, 2, steps, 9}, b.inputs().getShape().getShape());
            float[] x = b.inputs().toFloatArray(), y = b.targets().toFloatArray(), mask = b.mask().toFloatArray();
            for (int seq = 0; seq < 2; seq++)
                for (int t = 0; t < steps; t++) {
                    assertEquals(t == l ? 1f : 0f, x[(seq * steps + t) * 9 + 8], "delimiter at t = " + t);
                    for (int k = 0; k < 8; k++) {
                        float in = x[(seq * steps + t) * 9 + k], out = y[(seq * steps + t) * 8 + k];
                        if (t < l) assertEquals(in, y[(seq * steps + t + l + 1) * 8 + k], "target repeats input bit");
                        if (t >= l) assertEquals(0f, in, "no input bits from the delimiter on");
                        if (t <= l) assertEquals(0f, out, "no target before the delimiter has passed");
                    }
                }
            for (int t = 0; t < steps; t++) assertEquals(t > l ? 1f : 0f, mask[t]);
        }
    }

    @Test
    void seededPerRunAndLengthsInRange() {
        BitCopyTask task = new BitCopyTask(3, 8, 20, 10);
        try (NDManager m = NDManager.newBaseManager()) {
            BitCopyTask.Batch both = task.batch(m, new long[]{1, 2}, new boolean[]{false, true}, 40);
            BitCopyTask.Batch alone = task.batch(m, new long[]{2}, new boolean[]{true}, 40);
            int l = alone.lengths()[0], steps = (int) both.inputs().getShape().get(2);
            assertEquals(l, both.lengths()[1]);
            // run 1 inside the batch = run 1 alone, then zero padding outside its mask
            NDArray mine = both.inputs().get("1, :, :{}", 2 * l + 1);
            assertArrayEquals(alone.inputs().get(0).toFloatArray(), mine.toFloatArray());
            assertEquals(0f, both.mask().get("1, :, {}:", 2 * l + 1).sum().getFloat());
            assertEquals(2 * Math.max(l, both.lengths()[0]) + 1, steps);
            for (int s = 0; s < 200; s++) {
                int len = task.length(5, false, s);
                assertTrue(len >= 1 && len <= 20);
                assertTrue(task.length(5, true, s) <= task.maxLengthAt(true, s));
            }
            assertEquals(1, task.maxLengthAt(true, 9));
            assertEquals(2, task.maxLengthAt(true, 10));
            assertEquals(20, task.maxLengthAt(true, 100_000));
            assertEquals(20, task.maxLengthAt(false, 0));
        }
    }

    @Test
    void costInBitsByHand() {
        try (NDManager m = NDManager.newBaseManager()) {
            // one run, one sequence of length 1, 2 bits: T = 3, output at t = 2 only
            NDArray y = m.create(new float[]{0, 0, 0, 0, 1, 0}, new Shape(1, 1, 3, 2));
            NDArray mask = m.create(new float[]{0, 0, 1}, new Shape(1, 1, 3, 1));
            BitCopyTask.Batch b = new BitCopyTask.Batch(null, y, mask, new int[]{1});
            // logit 0 everywhere: each output bit costs exactly 1 bit; masked steps cost nothing
            assertEquals(2, BitCopyTask.costBits(m.zeros(new Shape(1, 1, 3, 2)), b).getFloat(0), 1e-6);
            // logits z = (ln 3, ln 3) at t = 2: bit 1 with p = 3/4 costs log2(4/3), bit 0 with p = 3/4 costs 2 bits
            float ln3 = (float) Math.log(3);
            NDArray z = m.create(new float[]{9, 9, 9, 9, ln3, ln3}, new Shape(1, 1, 3, 2));
            assertEquals(Math.log(4.0 / 3) / Math.log(2) + 2, BitCopyTask.costBits(z, b).getFloat(0), 1e-5);
            assertArrayEquals(new float[]{1}, BitCopyTask.bitErrors(z, b));
        }
    }
}
