package memlab.tasks.chars;

import memlab.core.Check;

import java.util.SplittableRandom;

/**
 * Repeated sequences (paper §4.2): {@code k} random characters ({@code k} uniform in
 * {@code 1..maxPeriod}, paper 1–4) repeated until the sequence has {@code length} characters,
 * e.g. {@code abcabcabca}.
 *
 * <p>Memory positions: every prediction whose target lies in a repetition, i.e. targets at index
 * {@code >= k} (they equal the character {@code k} places earlier).
 */
public final class RepeatedSequence implements CharTask {
    private final String symbols;
    private final int maxPeriod, length;
    private final Alphabet alphabet;

    /**
     * @param symbols   characters drawn from
     * @param maxPeriod longest repeated unit, {@code >= 1}
     * @param length    sequence length, {@code > maxPeriod}
     */
    public RepeatedSequence(String symbols, int maxPeriod, int length) {
        this.alphabet = new Alphabet(symbols);
        this.symbols = symbols;
        this.maxPeriod = Check.positive("maxPeriod", maxPeriod);
        if (length <= maxPeriod) throw new IllegalArgumentException("length must be > maxPeriod (" + maxPeriod + "), got " + length);
        this.length = length;
    }

    /** Periods 1–4 over {@code abcdefgh}, 12 characters. */
    public static RepeatedSequence paper() { return new RepeatedSequence("abcdefgh", 4, 12); }

    @Override public String name() { return "repeated"; }

    @Override public Alphabet alphabet() { return alphabet; }

    @Override public int maxLength() { return length; }

    @Override
    public Sample sample(SplittableRandom rng) {
        int k = 1 + rng.nextInt(maxPeriod);
        StringBuilder unit = new StringBuilder();
        for (int i = 0; i < k; i++) unit.append(CharTask.pick(rng, symbols));
        StringBuilder sb = new StringBuilder(length);
        while (sb.length() < length) sb.append(unit.charAt(sb.length() % k));
        boolean[] memory = new boolean[length - 1];
        for (int t = 0; t < memory.length; t++) memory[t] = t + 1 >= k;
        return new Sample(sb.toString(), memory);
    }
}
