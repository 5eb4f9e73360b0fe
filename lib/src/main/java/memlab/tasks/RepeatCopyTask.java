package memlab.tasks;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import memlab.core.Check;
import memlab.core.Seeds;

import java.util.SplittableRandom;

/**
 * The repeat-copy task of the Neural Turing Machine paper (Graves, Wayne, Danihelka 2014, section 4.2),
 * also used for the DNC: a sequence of L random {@code bits}-bit vectors, then the number of copies K on
 * a channel of its own, and the model must output the sequence K times and then an end marker.
 *
 * <p>Layout for length L and K copies (input width {@code bits + 2}: the bits, a delimiter channel and a
 * count channel; output width {@code bits + 1}: the bits and an end-marker channel):
 * <pre>
 *   t = 0 .. L−1                 input: bits of vector t                         target: none
 *   t = L                        input: delimiter 1, count channel = norm(K)      target: none
 *   t = L+1 .. L+K·L             input: zeros                                     target: bits of vector (t−L−1) mod L
 *   t = L+K·L+1                  input: zeros                                     target: end marker 1 (bits 0)
 * </pre>
 * with {@code norm(K)} the count scaled to mean 0 and variance 1 over the uniform draw of K in
 * {@code [1, maxRepeats]}, as in the paper ({@code 0} when {@code maxRepeats = 1}). Every output step,
 * end marker included, is in the cost; its end-marker channel must stay 0 until the end.
 *
 * <p>L and K are drawn per run and step, uniform in {@code [1, maxLength]} and {@code [1, maxRepeats]},
 * from the run's seed alone; shorter runs of a batched sweep are padded with zero steps outside the mask,
 * as in {@link BitCopyTask}, whose {@link BitCopyTask.Batch} and cost this task shares.
 */
public final class RepeatCopyTask {
    private final int batch, bits, maxLength, maxRepeats;

    /**
     * @param batch      sequences per run and step B
     * @param bits       bits per vector (8 in the paper)
     * @param maxLength  longest sequence (10 in the paper)
     * @param maxRepeats most copies (10 in the paper)
     */
    public RepeatCopyTask(int batch, int bits, int maxLength, int maxRepeats) {
        this.batch = Check.positive("batch", batch);
        this.bits = Check.positive("bits", bits);
        this.maxLength = Check.positive("maxLength", maxLength);
        this.maxRepeats = Check.positive("maxRepeats", maxRepeats);
    }

    /** The sequence length of a run with seed {@code seed} at {@code step}. */
    public int length(long seed, int step) {
        return 1 + Seeds.stream(seed, "repeat-copy-length", step).nextInt(maxLength);
    }

    /** The number of copies asked of a run with seed {@code seed} at {@code step}. */
    public int repeats(long seed, int step) {
        return 1 + Seeds.stream(seed, "repeat-copy-repeats", step).nextInt(maxRepeats);
    }

    /** The count channel's value for K copies: {@code (K − mean) / sd} of the uniform draw on {@code [1, maxRepeats]}. */
    public double normalisedCount(int k) {
        Check.inRange("repeats", k, 1, maxRepeats);
        if (maxRepeats == 1) return 0;
        double mean = (maxRepeats + 1) / 2.0, sd = Math.sqrt((maxRepeats * (double) maxRepeats - 1) / 12);
        return (k - mean) / sd;
    }

    /** Steps of a sequence of length L with K copies: {@code L + 1 + K·L + 1}. */
    public static int steps(int length, int repeats) {
        return length + 1 + repeats * length + 1;
    }

    /**
     * The data of step {@code step} for each run. {@link BitCopyTask.Batch#lengths} holds each run's L;
     * its K is {@link #repeats(long, int)}.
     */
    public BitCopyTask.Batch batch(NDManager m, long[] seeds, int step) {
        int runs = seeds.length;
        int[] len = new int[runs], reps = new int[runs];
        int longest = 0;
        for (int r = 0; r < runs; r++) {
            len[r] = length(seeds[r], step);
            reps[r] = repeats(seeds[r], step);
            longest = Math.max(longest, steps(len[r], reps[r]));
        }
        int steps = longest, in = bits + 2, out = bits + 1;
        float[] x = new float[runs * batch * steps * in], y = new float[runs * batch * steps * out], mask = new float[runs * steps];
        for (int r = 0; r < runs; r++) {
            int l = len[r], k = reps[r], end = l + k * l + 1;
            SplittableRandom rng = Seeds.stream(seeds[r], "repeat-copy-bits", step);
            for (int b = 0; b < batch; b++) {
                int seq = r * batch + b;
                for (int t = 0; t < l; t++)
                    for (int j = 0; j < bits; j++) {
                        float bit = rng.nextBoolean() ? 1f : 0f;
                        x[(seq * steps + t) * in + j] = bit;
                        for (int copy = 0; copy < k; copy++) y[(seq * steps + l + 1 + copy * l + t) * out + j] = bit;
                    }
                x[(seq * steps + l) * in + bits] = 1f;                                    // delimiter
                x[(seq * steps + l) * in + bits + 1] = (float) normalisedCount(k);         // how many copies
                y[(seq * steps + end) * out + bits] = 1f;                                  // end marker
            }
            for (int t = l + 1; t <= end; t++) mask[r * steps + t] = 1f;
        }
        return new BitCopyTask.Batch(m.create(x, new Shape(runs, batch, steps, in)), m.create(y, new Shape(runs, batch, steps, out)),
                m.create(mask, new Shape(runs, 1, steps, 1)), len);
    }

    public int batchSize() { return batch; }

    public int bits() { return bits; }

    public int maxLength() { return maxLength; }

    public int maxRepeats() { return maxRepeats; }
}
