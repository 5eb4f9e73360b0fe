package memlab.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import memlab.core.Check;
import memlab.core.Seeds;

import java.util.SplittableRandom;

/**
 * Sequence reversal, the toy transduction task of the attention primer: a source of {@code L} symbols
 * drawn uniformly from {@code 0..V−1}; the target is the same symbols in reverse order,
 * {@code y_t = x_{L−1−t}}. The first output needs the last input and the last output the first, so an
 * encoder–decoder without attention must carry the whole source in one fixed-size vector.
 *
 * <p>The batch of index {@code i} for seed {@code s} depends only on {@code (s, i)}; held-out batches
 * use negative indices.
 */
public final class SequenceReversal {
    private final int symbols, length;

    /**
     * @param symbols vocabulary size V, {@code > 0}
     * @param length  source (and target) length L, {@code > 0}
     */
    public SequenceReversal(int symbols, int length) {
        this.symbols = Check.positive("symbols", symbols);
        this.length = Check.positive("length", length);
    }

    /** Sources and targets of {@code batch × L} symbols, row-major. */
    public record Batch(int batch, int length, int[] sources, int[] targets) {}

    /** The batch of {@code batch} sequences for {@code (seed, index)}. */
    public Batch batch(int batch, long seed, long index) {
        Check.positive("batch", batch);
        SplittableRandom rng = Seeds.stream(seed, "reversal", index);
        int[] src = new int[batch * length], tgt = new int[batch * length];
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < length; t++) src[b * length + t] = rng.nextInt(symbols);
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < length; t++) tgt[b * length + t] = src[b * length + length - 1 - t];
        return new Batch(batch, length, src, tgt);
    }

    /** The batches of {@code seeds.length} runs as int arrays {@code (R, B, L)}: sources, targets. */
    public NDArray[] arrays(NDManager m, int batch, long[] seeds, long index) {
        int n = batch * length;
        int[] src = new int[n * seeds.length], tgt = new int[n * seeds.length];
        for (int r = 0; r < seeds.length; r++) {
            Batch b = batch(batch, seeds[r], index);
            System.arraycopy(b.sources(), 0, src, r * n, n);
            System.arraycopy(b.targets(), 0, tgt, r * n, n);
        }
        Shape s = new Shape(seeds.length, batch, length);
        return new NDArray[]{m.create(src, s), m.create(tgt, s)};
    }

    public int symbols() { return symbols; }

    public int length() { return length; }
}
