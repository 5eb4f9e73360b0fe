package memlab.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import memlab.core.Check;
import memlab.core.Seeds;

import java.util.SplittableRandom;

/**
 * Multi-query associative recall (MQAR) as the Zoology benchmark defines it (Arora et al.,
 * "Zoology: Measuring and Improving Recall in Efficient Language Models", 2024, its
 * {@code multiquery_ar} generator).
 *
 * <p>The vocabulary {@code 0..V−1} is split into keys {@code 1..V/2−1} and values {@code V/2..V−1}.
 * A sequence of length {@code T} starts with {@code n} key–value pairs {@code k₁ v₁ k₂ v₂ … k_n v_n}
 * (distinct keys, distinct values); then every key is asked once, the query of key {@code i} placed at
 * position {@code 2n + 2 g_i} where the gaps {@code g} are {@code n} distinct draws from
 * {@code 0..(T − 2n)/2 − 1} with probability {@code ∝ (g + 1)^{a − 1}} (a power law, {@code a = 0.01}:
 * most queries come soon after the pairs, a few far away). The remaining positions hold random tokens
 * of the whole vocabulary. At a query's position the model must output the value bound to that key;
 * loss and accuracy count only those {@code n} answer positions.
 *
 * <p>The batch of index {@code i} for seed {@code s} depends only on {@code (s, i)}.
 */
public final class MultiQueryRecall {
    /** Zoology's default power-law exponent. */
    public static final double POWER_A = 0.01;

    private final int vocab, pairs, length;
    private final double powerA;
    private final double[] gapWeights;

    /**
     * @param vocab  vocabulary size V: needs {@code pairs} distinct keys in {@code 1..V/2−1}, so {@code V ≥ 2·pairs + 2}
     * @param pairs  key–value pairs per sequence n, {@code ≥ 1}
     * @param length sequence length T: the pairs take {@code 2n} positions and the {@code n} queries need
     *               {@code n} distinct gaps among {@code (T − 2n)/2}, so {@code T ≥ 4n}
     */
    public MultiQueryRecall(int vocab, int pairs, int length) {
        this(vocab, pairs, length, POWER_A);
    }

    public MultiQueryRecall(int vocab, int pairs, int length, double powerA) {
        this.pairs = Check.positive("pairs", pairs);
        this.vocab = Check.positive("vocab", vocab);
        this.length = Check.positive("length", length);
        this.powerA = Check.inRange("powerA", powerA, Double.MIN_VALUE, 1);
        if (vocab / 2 - 1 < pairs)
            throw new IllegalArgumentException("vocab must be >= 2·pairs + 2 = " + (2 * pairs + 2) + " (keys are 1..vocab/2−1, one distinct key per pair), got vocab "
                    + vocab + " for " + pairs + " pairs");
        if (length < 4 * pairs)
            throw new IllegalArgumentException("length must be >= 4·pairs = " + 4 * pairs + " (2·pairs for the pairs, then pairs distinct query slots in (length − 2·pairs)/2), got length "
                    + length + " for " + pairs + " pairs");
        int space = (length - 2 * pairs) / 2;
        gapWeights = new double[space];
        for (int g = 0; g < space; g++) gapWeights[g] = Math.pow(g + 1, powerA - 1);
    }

    /**
     * One batch: {@code inputs} and {@code targets} of {@code batch × T} tokens, row-major; {@code target} is
     * the value to output at an answer position and {@code −1} elsewhere.
     */
    public record Batch(int batch, int length, int[] inputs, int[] targets) {
        /** Whether position {@code t} of sequence {@code b} is an answer position. */
        public boolean isAnswer(int b, int t) { return targets[b * length + t] >= 0; }
    }

    /** The batch of {@code batch} sequences for {@code (seed, index)}. */
    public Batch batch(int batch, long seed, long index) {
        Check.positive("batch", batch);
        SplittableRandom rng = Seeds.stream(seed, "mqar", index);
        int[] in = new int[batch * length], target = new int[batch * length];
        java.util.Arrays.fill(target, -1);
        int half = vocab / 2;
        for (int b = 0; b < batch; b++) {
            int o = b * length;
            int[] keys = distinct(rng, 1, half, pairs), values = distinct(rng, half, vocab, pairs);
            for (int t = 0; t < length; t++) in[o + t] = rng.nextInt(vocab);    // fillers (Zoology: random non-queries)
            for (int i = 0; i < pairs; i++) {
                in[o + 2 * i] = keys[i];
                in[o + 2 * i + 1] = values[i];
            }
            int[] gaps = gaps(rng);
            for (int i = 0; i < pairs; i++) {
                int at = 2 * pairs + 2 * gaps[i];
                in[o + at] = keys[i];
                target[o + at] = values[i];
            }
        }
        return new Batch(batch, length, in, target);
    }

    /**
     * The batches of {@code seeds.length} runs as arrays of shape {@code (R, B, T)}: inputs (int),
     * targets (int, 0 off the answers) and the answer mask (float 1/0).
     */
    public NDArray[] arrays(NDManager m, int batch, long[] seeds, long index) {
        return AnswerArrays.of(m, batch, length, seeds, seed -> {
            Batch bt = batch(batch, seed, index);
            return new int[][]{bt.inputs(), bt.targets()};
        });
    }

    /** {@code count} distinct integers of {@code [lo, hi)} in random order (partial Fisher–Yates). */
    private static int[] distinct(SplittableRandom rng, int lo, int hi, int count) {
        int[] pool = new int[hi - lo];
        for (int i = 0; i < pool.length; i++) pool[i] = lo + i;
        for (int i = 0; i < count; i++) {
            int j = i + rng.nextInt(pool.length - i);
            int tmp = pool[i]; pool[i] = pool[j]; pool[j] = tmp;
        }
        return java.util.Arrays.copyOf(pool, count);
    }

    /** {@code pairs} distinct gaps drawn one after the other with the power-law weights, as numpy's choice without replacement. */
    private int[] gaps(SplittableRandom rng) {
        double[] w = gapWeights.clone();
        double total = 0;
        for (double x : w) total += x;
        int[] out = new int[pairs];
        for (int i = 0; i < pairs; i++) {
            double u = rng.nextDouble() * total, acc = 0;
            int g = 0;
            while (g < w.length - 1 && (w[g] == 0 || (acc += w[g]) <= u)) g++;
            while (w[g] == 0) g--;     // rounding at the end of the range: the last gap still free
            out[i] = g;
            total -= w[g];
            w[g] = 0;
        }
        return out;
    }

    public int vocab() { return vocab; }

    public int pairs() { return pairs; }

    public int length() { return length; }

    public double powerA() { return powerA; }
}
