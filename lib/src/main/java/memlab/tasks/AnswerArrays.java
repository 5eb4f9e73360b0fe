package memlab.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.function.LongFunction;

/**
 * Packs the token batches of several runs for {@link memlab.mixers.SequenceModel#loss}, shared by the
 * token tasks whose loss counts only answer positions (recall, copy-paste): inputs, targets (0 off
 * the answers) and the answer mask (1 on an answer, 0 elsewhere), each {@code (R, B, T)}.
 */
final class AnswerArrays {
    private AnswerArrays() {}

    /**
     * @param runBatch for a run's seed, its {@code {inputs, targets}}, each {@code B·T} long, row-major,
     *                 with target {@code −1} where there is nothing to answer
     */
    static NDArray[] of(NDManager m, int batch, int length, long[] seeds, LongFunction<int[][]> runBatch) {
        int n = batch * length;
        int[] in = new int[n * seeds.length], tg = new int[n * seeds.length];
        float[] mask = new float[n * seeds.length];
        for (int r = 0; r < seeds.length; r++) {
            int[][] bt = runBatch.apply(seeds[r]);
            System.arraycopy(bt[0], 0, in, r * n, n);
            for (int i = 0; i < n; i++) {
                boolean answer = bt[1][i] >= 0;
                tg[r * n + i] = answer ? bt[1][i] : 0;
                mask[r * n + i] = answer ? 1f : 0f;
            }
        }
        Shape s = new Shape(seeds.length, batch, length);
        return new NDArray[]{m.create(in, s), m.create(tg, s), m.create(mask, s)};
    }
}
