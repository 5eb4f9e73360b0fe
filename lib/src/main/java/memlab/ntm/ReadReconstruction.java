package memlab.ntm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import memlab.tasks.BitCopyTask;

/**
 * An auxiliary reconstruction loss on the NTM's reads (after Trinh, Dai, Luong, Le 2018, "Learning
 * longer-term dependencies in RNNs with auxiliary losses": reconstruct earlier inputs from the
 * memory): during the input phase, the reads of step t must give back the input vector of step t−1,
 * <pre>
 *   â_t   = W_rec r_t + b_rec                                   (a linear decoder of the reads)
 *   aux_r = (1/B) Σ_b Σ_{t=1}^{L} Σ_k [softplus(â_t,k) − x_{t−1,k} â_t,k] / ln 2      bits per sequence
 * </pre>
 * The read {@code r_t = w_t M_{t−1}} sees the memory after the write of step t−1, the step that saw
 * {@code x_{t−1}}: the loss is low only if that vector was written to memory and read back. A
 * controller that keeps everything in its own state gains nothing here, so the loss pushes
 * information through the memory. Same cost form as {@link BitCopyTask#costBits}, which it reuses.
 */
public final class ReadReconstruction {
    private ReadReconstruction() {}

    /**
     * The reconstruction targets as a {@link BitCopyTask.Batch}: targets {@code x_{t−1}} (the bits,
     * without the delimiter channel) and a mask that is 1 at steps {@code 1..L} of each run.
     */
    public static BitCopyTask.Batch targets(BitCopyTask.Batch batch) {
        NDArray x = batch.inputs();
        Shape s = x.getShape();
        long runs = s.get(0), b = s.get(1), steps = s.get(2), bits = s.get(3) - 1;
        NDManager m = x.getManager();
        NDArray previous = NDArrays.concat(new NDList(m.zeros(new Shape(runs, b, 1, bits), x.getDataType()),
                x.get(new NDIndex(":, :, :{}, :{}", steps - 1, bits))), 2);
        float[] mask = new float[(int) (runs * steps)];
        for (int r = 0; r < runs; r++)
            for (int t = 1; t <= batch.lengths()[r]; t++) mask[(int) (r * steps + t)] = 1f;
        return new BitCopyTask.Batch(x, previous, m.create(mask, new Shape(runs, 1, steps, 1)), batch.lengths());
    }

    /**
     * {@code aux_r} of each run, bits per sequence.
     *
     * @param logits decoder outputs {@code â} {@code (R, B, T, bits)}
     * @return {@code (R)}
     */
    public static NDArray costBits(NDArray logits, BitCopyTask.Batch batch) {
        return BitCopyTask.costBits(logits, targets(batch));
    }
}
