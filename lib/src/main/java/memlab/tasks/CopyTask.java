package memlab.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import memlab.core.Check;
import memlab.core.Seeds;

import java.util.HashMap;
import java.util.Map;

/**
 * The continuous copy task of the EGL paper: a batch of sequences {@code x ~ N(0, 1)} of shape
 * {@code (B, T, I)}; the model must output {@code x} again after writing it to memory.
 *
 * <p>One "epoch" is one fresh batch. The batch of epoch {@code e} for seed {@code s} depends only on
 * {@code (s, e)}: runs of a batched sweep that share a seed see the same data.
 */
public final class CopyTask {
    private final int batch, length, width;

    /**
     * @param batch  sequences per batch B
     * @param length sequence length T
     * @param width  input size I
     */
    public CopyTask(int batch, int length, int width) {
        this.batch = Check.positive("batch", batch);
        this.length = Check.positive("seqLen", length);
        this.width = Check.positive("input", width);
    }

    /** Inputs for each run, shape {@code (R, B, T, I)}. */
    public NDArray inputs(NDManager m, long[] seeds, int epoch) {
        return normals(m, seeds, "copy-data", epoch, new Shape(batch, length, width));
    }

    /**
     * Draws, for each run, an array of {@code shape} from N(0, 1) using the stream
     * {@code (seed, stream, index)}; returns shape {@code (R, ...shape)}.
     */
    public static NDArray normals(NDManager m, long[] seeds, String stream, int index, Shape shape) {
        int n = Math.toIntExact(shape.size());
        float[] all = new float[n * seeds.length];
        Map<Long, float[]> cache = new HashMap<>();
        for (int r = 0; r < seeds.length; r++) {
            float[] one = cache.computeIfAbsent(seeds[r], s -> Seeds.normal(Seeds.stream(s, stream, index), new float[n]));
            System.arraycopy(one, 0, all, r * n, n);
        }
        return m.create(all, new Shape(seeds.length).addAll(shape));
    }

    public int batch() { return batch; }

    public int length() { return length; }

    public int width() { return width; }
}
