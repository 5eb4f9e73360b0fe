package memlab.tasks;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The repeat-copy task: layout (copies, count, end marker), seeding per run, padding, the count's scale. */
class RepeatCopyTaskTest {
    @Test
    void layoutCopiesCountAndEndMarker() {
        RepeatCopyTask task = new RepeatCopyTask(2, 3, 4, 5);
        try (NDManager m = NDManager.newBaseManager()) {
            for (int step = 0; step < 20; step++) {
                BitCopyTask.Batch b = task.batch(m, new long[]{9}, step);
                int l = b.lengths()[0], k = task.repeats(9, step), steps = RepeatCopyTask.steps(l, k), end = l + k * l + 1;
                assertEquals(l, task.length(9, step));
                assertArrayEquals(new long[]{1, 2, steps, 5}, b.inputs().getShape().getShape());
                assertArrayEquals(new long[]{1, 2, steps, 4}, b.targets().getShape().getShape());
                float[] x = b.inputs().toFloatArray(), y = b.targets().toFloatArray(), mask = b.mask().toFloatArray();
                for (int seq = 0; seq < 2; seq++)
                    for (int t = 0; t < steps; t++) {
                        assertEquals(t == l ? 1f : 0f, x[(seq * steps + t) * 5 + 3], "delimiter at t = " + t);
                        assertEquals(t == l ? (float) task.normalisedCount(k) : 0f, x[(seq * steps + t) * 5 + 4], 0f, "count at t = " + t);
                        assertEquals(t == end ? 1f : 0f, y[(seq * steps + t) * 4 + 3], "end marker at t = " + t);
                        for (int j = 0; j < 3; j++) {
                            float in = x[(seq * steps + t) * 5 + j], out = y[(seq * steps + t) * 4 + j];
                            if (t >= l) assertEquals(0f, in, "no input bits from the delimiter on");
                            if (t <= l || t >= end) assertEquals(0f, out, "no target bits outside the copies");
                            else assertEquals(x[(seq * steps + (t - l - 1) % l) * 5 + j], out, "copy of vector (t − L − 1) mod L");
                        }
                    }
                for (int t = 0; t < steps; t++) assertEquals(t > l && t <= end ? 1f : 0f, mask[t], "mask at t = " + t);
            }
        }
    }

    @Test
    void seededPerRunAndPaddedOutsideTheMask() {
        RepeatCopyTask task = new RepeatCopyTask(3, 4, 6, 6);
        try (NDManager m = NDManager.newBaseManager()) {
            BitCopyTask.Batch both = task.batch(m, new long[]{1, 2}, 11), alone = task.batch(m, new long[]{2}, 11);
            int mine = RepeatCopyTask.steps(task.length(2, 11), task.repeats(2, 11));
            assertArrayEquals(alone.inputs().get(0).toFloatArray(), both.inputs().get("1, :, :{}", mine).toFloatArray());
            assertArrayEquals(alone.targets().get(0).toFloatArray(), both.targets().get("1, :, :{}", mine).toFloatArray());
            assertEquals(0f, both.mask().get("1, :, {}:", mine).sum().getFloat());
            boolean[] seenL = new boolean[7], seenK = new boolean[7];
            for (int s = 0; s < 300; s++) {
                seenL[task.length(5, s)] = true;
                seenK[task.repeats(5, s)] = true;
            }
            for (int v = 1; v <= 6; v++) assertTrue(seenL[v] && seenK[v], "every length and count in 1..6 drawn, missing " + v);
            assertFalse(seenL[0] || seenK[0]);
        }
    }

    @Test
    void countHasMeanZeroAndVarianceOne() {
        RepeatCopyTask task = new RepeatCopyTask(1, 8, 10, 10);
        double mean = 0, sq = 0;
        for (int k = 1; k <= 10; k++) {
            mean += task.normalisedCount(k) / 10;
            sq += task.normalisedCount(k) * task.normalisedCount(k) / 10;
        }
        assertEquals(0, mean, 1e-12);
        assertEquals(1, sq, 1e-12);
        assertEquals(0, new RepeatCopyTask(1, 8, 10, 1).normalisedCount(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> task.normalisedCount(11));
        assertTrue(e.getMessage().contains("repeats"), e.getMessage());
    }
}
