package memlab.tasks.chars;

import memlab.core.Check;

import java.util.SplittableRandom;

/**
 * Palindromes / reversed sequences (paper §4.3): {@code n} random characters ({@code n} uniform in
 * {@code minHalf..maxHalf}) followed by the same characters reversed, either sharing the middle
 * character ({@code abcba}) or repeating it ({@code xyzzyx}), each with probability 1/2.
 * {@code minHalf = maxHalf = 3} is the paper's "3-character reversed sequence" task.
 *
 * <p>Memory positions: every target in the mirrored half (after the first {@code n} characters).
 */
public final class ReversedSequence implements CharTask {
    private final String symbols;
    private final int minHalf, maxHalf;
    private final Alphabet alphabet;

    /**
     * @param symbols characters drawn from
     * @param minHalf shortest first half, {@code >= 2}
     * @param maxHalf longest first half, {@code >= minHalf}
     */
    public ReversedSequence(String symbols, int minHalf, int maxHalf) {
        this.alphabet = new Alphabet(symbols);
        this.symbols = symbols;
        if (minHalf < 2) throw new IllegalArgumentException("minHalf must be >= 2, got " + minHalf);
        if (maxHalf < minHalf) throw new IllegalArgumentException("maxHalf must be >= minHalf (" + minHalf + "), got " + maxHalf);
        this.minHalf = minHalf;
        this.maxHalf = Check.positive("maxHalf", maxHalf);
    }

    /** The paper's sweep task: 3-character reversed sequences over {@code abcdefgh}. */
    public static ReversedSequence threeChar() { return new ReversedSequence("abcdefgh", 3, 3); }

    /** Palindromes with first halves of 2–5 characters over {@code abcdefgh}. */
    public static ReversedSequence palindromes() { return new ReversedSequence("abcdefgh", 2, 5); }

    @Override public String name() { return minHalf == maxHalf ? "reversed" + minHalf : "palindromes"; }

    @Override public Alphabet alphabet() { return alphabet; }

    @Override public int maxLength() { return 2 * maxHalf; }

    @Override
    public Sample sample(SplittableRandom rng) {
        int n = minHalf + rng.nextInt(maxHalf - minHalf + 1);
        boolean shareMiddle = rng.nextBoolean();
        StringBuilder half = new StringBuilder(n);
        for (int i = 0; i < n; i++) half.append(CharTask.pick(rng, symbols));
        String back = new StringBuilder(half).reverse().substring(shareMiddle ? 1 : 0);
        String text = half + back;
        boolean[] memory = new boolean[text.length() - 1];
        for (int t = 0; t < memory.length; t++) memory[t] = t + 1 >= n;
        return new Sample(text, memory);
    }
}
