package memlab.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import memlab.core.Check;
import memlab.core.Seeds;

import java.util.SplittableRandom;
import memlab.core.Scalars;

/**
 * The copy task of the Neural Turing Machine paper (Graves, Wayne, Danihelka 2014, section 4.1):
 * a sequence of L random {@code bits}-bit vectors, then a delimiter on its own channel, then L
 * blank steps during which the model must output the sequence again.
 *
 * <p>Layout for a sequence of length L (input width {@code bits + 1}, the last channel the delimiter):
 * <pre>
 *   t = 0 .. L−1      input: bits of vector t                   target: none
 *   t = L             input: delimiter                           target: none
 *   t = L+1 .. 2L     input: zeros                               target: bits of vector t−L−1
 * </pre>
 * A batch holds B sequences of one length per run (L drawn per run and step, uniform in
 * {@code [1, maxLength(step)]}); runs of a batched sweep may differ in length, so shorter runs are
 * padded at the end with zero steps that the {@linkplain Batch#mask mask} leaves out of the cost.
 * The model is causal, so padding after a run's sequence changes none of its outputs.
 *
 * <p>Curriculum over length (a per-run switch): off, L is uniform in {@code [1, maxLength]} from the
 * start; on, the largest length is {@code min(maxLength, 1 + ⌊step / curriculumSteps⌋)}.
 *
 * <p>The batch of step {@code s} for seed {@code q} depends only on {@code (q, s)} and the switch,
 * never on the other runs.
 */
public final class BitCopyTask {
    private final int batch, bits, maxLength, curriculumSteps;

    /** One step's data for R runs. T is {@code 2 · (longest L) + 1}. */
    public record Batch(NDArray inputs, NDArray targets, NDArray mask, int[] lengths) {
        /** @return inputs {@code (R, B, T, bits + 1)} */
        @Override public NDArray inputs() { return inputs; }
        /** @return targets {@code (R, B, T, bits)}, zero where no output is due */
        @Override public NDArray targets() { return targets; }
        /** @return 1 at the output steps of each run, else 0, {@code (R, 1, T, 1)} */
        @Override public NDArray mask() { return mask; }
        /** @return the time steps each run's sequences need, {@code 2 L_r + 1}: input, delimiter, output */
        public int[] ownSteps() {
            int[] t = new int[lengths.length];
            for (int r = 0; r < t.length; r++) t[r] = 2 * lengths[r] + 1;
            return t;
        }
    }

    /**
     * @param batch           sequences per run and step B
     * @param bits            bits per vector (8 in the paper)
     * @param maxLength       longest sequence (20 in the paper)
     * @param curriculumSteps with the curriculum on, steps per increase of the largest length by one
     */
    public BitCopyTask(int batch, int bits, int maxLength, int curriculumSteps) {
        this.batch = Check.positive("batch", batch);
        this.bits = Check.positive("bits", bits);
        this.maxLength = Check.positive("maxLength", maxLength);
        this.curriculumSteps = Check.positive("curriculumSteps", curriculumSteps);
    }

    /** The paper's task: 8 bits, lengths 1–20. */
    public static BitCopyTask paper(int batch, int curriculumSteps) {
        return new BitCopyTask(batch, 8, 20, curriculumSteps);
    }

    /** The largest length drawn at {@code step}. */
    public int maxLengthAt(boolean curriculum, int step) {
        return curriculum ? (int) Math.min(maxLength, 1 + (long) step / curriculumSteps) : maxLength;
    }

    /** The sequence length of a run with seed {@code seed} at {@code step}. */
    public int length(long seed, boolean curriculum, int step) {
        return 1 + Seeds.stream(seed, "bit-copy-length", step).nextInt(maxLengthAt(curriculum, step));
    }

    /**
     * The data of step {@code step} for each run.
     *
     * @param seeds      one seed per run
     * @param curriculum per run: curriculum on
     */
    public Batch batch(NDManager m, long[] seeds, boolean[] curriculum, int step) {
        if (curriculum.length != seeds.length)
            throw new IllegalArgumentException("need one curriculum switch per run: " + seeds.length + " seeds, " + curriculum.length + " switches");
        int[] len = new int[seeds.length];
        for (int r = 0; r < seeds.length; r++) len[r] = length(seeds[r], curriculum[r], step);
        return fill(m, seeds, len, step);
    }

    /**
     * A batch in which every run's sequences have length {@code length} (e.g. to compare runs on
     * the same footing in diagnostics); the bits are those of {@code (seed, step)}.
     */
    public Batch batchOfLength(NDManager m, long[] seeds, int length, int step) {
        Check.positive("length", length);
        int[] len = new int[seeds.length];
        java.util.Arrays.fill(len, length);
        return fill(m, seeds, len, step);
    }

    private Batch fill(NDManager m, long[] seeds, int[] len, int step) {
        int runs = seeds.length;
        int longest = 0;
        for (int l : len) longest = Math.max(longest, l);
        int steps = 2 * longest + 1, in = bits + 1;
        float[] x = new float[runs * batch * steps * in], y = new float[runs * batch * steps * bits], mask = new float[runs * steps];
        for (int r = 0; r < runs; r++) {
            int l = len[r];
            SplittableRandom rng = Seeds.stream(seeds[r], "bit-copy-bits", step);
            for (int b = 0; b < batch; b++) {
                int seq = r * batch + b;
                for (int t = 0; t < l; t++)
                    for (int k = 0; k < bits; k++) {
                        float bit = rng.nextBoolean() ? 1f : 0f;
                        x[(seq * steps + t) * in + k] = bit;
                        y[(seq * steps + l + 1 + t) * bits + k] = bit;
                    }
                x[(seq * steps + l) * in + bits] = 1f;                       // delimiter
            }
            for (int t = l + 1; t <= 2 * l; t++) mask[r * steps + t] = 1f;
        }
        return new Batch(m.create(x, new Shape(runs, batch, steps, in)), m.create(y, new Shape(runs, batch, steps, bits)),
                m.create(mask, new Shape(runs, 1, steps, 1)), len.clone());
    }

    /**
     * The NTM literature's cost: binary cross-entropy in bits, summed over the output steps and bits
     * of a sequence, averaged over the B sequences of each run,
     * <pre>  cost_r = (1/B) Σ_b Σ_{t output} Σ_k [softplus(z) − y z] / ln 2</pre>
     * ({@code softplus(z) − y z = −y log σ(z) − (1 − y) log(1 − σ(z))}, stable for any logit z).
     *
     * @param logits model outputs {@code (R, B, T, bits)}
     * @return {@code (R)}, bits per sequence
     */
    public static NDArray costBits(NDArray logits, Batch batch) {
        NDArray bce = Activation.softPlus(logits).sub(batch.targets().mul(logits)).mul(batch.mask());
        long runs = logits.getShape().get(0), b = logits.getShape().get(1);
        return Scalars.div(bce.reshape(runs, -1).sum(new int[]{1}), b * Math.log(2));
    }

    /** Wrong bits per sequence of each run: thresholded at logit 0, averaged over the batch. Host-side. */
    public static float[] bitErrors(NDArray logits, Batch batch) {
        NDArray wrong = logits.gt(0).toType(logits.getDataType(), false).sub(batch.targets()).abs().mul(batch.mask());
        long runs = logits.getShape().get(0), b = logits.getShape().get(1);
        return wrong.reshape(runs, -1).sum(new int[]{1}).div(b).toFloatArray();
    }

    public int batchSize() { return batch; }

    public int bits() { return bits; }

    public int maxLength() { return maxLength; }

    public int curriculumSteps() { return curriculumSteps; }
}
