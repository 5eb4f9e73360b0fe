package memlab.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import memlab.core.Check;
import memlab.core.Seeds;

import java.util.SplittableRandom;

/**
 * Byte copy-paste, the synthetic task of the PMNet paper (Phasor Memory Networks, 2026): a copy
 * marker, a random byte span of length {@code L}, filler bytes for a gap {@code G}, a paste marker,
 * then the span again, which the model must produce:
 * <pre>
 *   filler… COPY x₁ … x_L  f₁ … f_G  PASTE x₁ … x_L  filler…
 *   target at PASTE is x₁, at x_i (second copy) is x_{i+1}             (next-byte prediction)
 * </pre>
 * The tokens are bytes {@code 0..255} and the two markers {@link #COPY} = 256, {@link #PASTE} = 257
 * (a vocabulary of {@link #VOCAB} = 258). Span and filler bytes are uniform over the first
 * {@code alphabet} bytes; the block starts at a uniform offset so position says nothing. Loss and
 * accuracy count the {@code L} answer positions; <em>exact retrieval</em> of a sequence is all
 * {@code L} bytes right ({@link #exactRetrieval}).
 *
 * <p>The batch of index {@code i} for seed {@code s} depends only on {@code (s, i)}.
 */
public final class CopyPaste {
    /** The copy marker. */
    public static final int COPY = 256;
    /** The paste marker. */
    public static final int PASTE = 257;
    /** Bytes and the two markers. */
    public static final int VOCAB = 258;

    private final int span, gap, length, alphabet;

    /**
     * @param span     span length L, {@code >= 1}
     * @param gap      filler bytes G between the span and the paste marker, {@code >= 0}
     * @param length   sequence length T, {@code >= 2L + G + 2}
     * @param alphabet span and filler bytes are drawn from {@code 0..alphabet−1}, {@code 2..256}
     */
    public CopyPaste(int span, int gap, int length, int alphabet) {
        this.span = Check.positive("span", span);
        this.gap = Check.nonNegative("gap", gap);
        this.length = Check.positive("length", length);
        this.alphabet = Check.inRange("alphabet", alphabet, 2, 256);
        if ((long) 2 * span + gap + 2 > length)
            throw new IllegalArgumentException("span " + span + " and gap " + gap + " do not fit the sequence: length must be >= 2·span + gap + 2 = "
                    + (2L * span + gap + 2) + ", got length " + length);
    }

    /** All 256 byte values. */
    public CopyPaste(int span, int gap, int length) {
        this(span, gap, length, 256);
    }

    /** The shortest sequence that holds span and gap, {@code 2L + G + 2}. */
    public static int minLength(int span, int gap) {
        return 2 * span + gap + 2;
    }

    /**
     * One batch of {@code batch × T} tokens, row-major; {@code targets} is the byte to predict at an
     * answer position and {@code −1} elsewhere; {@code paste} the paste marker's position per sequence.
     */
    public record Batch(int batch, int length, int[] inputs, int[] targets, int[] paste) {}

    /** The batch of {@code batch} sequences for {@code (seed, index)}. */
    public Batch batch(int batch, long seed, long index) {
        Check.positive("batch", batch);
        SplittableRandom rng = Seeds.stream(seed, "copy-paste", index);
        int[] in = new int[batch * length], target = new int[batch * length], paste = new int[batch];
        java.util.Arrays.fill(target, -1);
        for (int b = 0; b < batch; b++) {
            int o = b * length;
            for (int t = 0; t < length; t++) in[o + t] = rng.nextInt(alphabet);
            int start = rng.nextInt(length - minLength(span, gap) + 1);
            in[o + start] = COPY;
            int p = start + span + gap + 1;
            in[o + p] = PASTE;
            paste[b] = p;
            for (int i = 0; i < span; i++) {
                int x = rng.nextInt(alphabet);
                in[o + start + 1 + i] = x;
                in[o + p + 1 + i] = x;
                target[o + p + i] = x;
            }
        }
        return new Batch(batch, length, in, target, paste);
    }

    /**
     * The batches of {@code seeds.length} runs as arrays of shape {@code (R, B, T)}: inputs (int),
     * targets (int, 0 off the answers) and the answer mask (float 1/0), the layout of
     * {@link memlab.mixers.SequenceModel#loss}.
     */
    public NDArray[] arrays(NDManager m, int batch, long[] seeds, long index) {
        return AnswerArrays.of(m, batch, length, seeds, seed -> {
            Batch bt = batch(batch, seed, index);
            return new int[][]{bt.inputs(), bt.targets()};
        });
    }

    /**
     * Each run's exact retrieval: the fraction of its sequences whose every answer position has
     * {@code argmax logits = target}.
     *
     * @param logits  {@code (R, B, T, V)}
     * @param targets {@code (R, B, T)}
     * @param answers {@code (R, B, T)}, 1 at answer positions
     */
    public static float[] exactRetrieval(NDArray logits, NDArray targets, NDArray answers) {
        NDArray wrong = logits.argMax(-1).toType(DataType.INT64, false).neq(targets.toType(DataType.INT64, false))
                .toType(DataType.FLOAT32, false).mul(answers).sum(new int[]{2});              // (R, B) wrong answers
        return wrong.eq(0).toType(DataType.FLOAT32, false).mean(new int[]{1}).toFloatArray();
    }

    public int span() { return span; }

    public int gap() { return gap; }

    public int length() { return length; }

    public int alphabet() { return alphabet; }
}
