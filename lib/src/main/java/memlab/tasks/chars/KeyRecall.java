package memlab.tasks.chars;

import memlab.core.Check;

import java.util.SplittableRandom;

/**
 * Key recall (paper §4.1): {@code 0…0?c0…0!c}. A run of {@code 1..maxLead} zeros, the store marker
 * {@code ?}, the key {@code c} (uniform over {@code symbols}), {@code 1..maxGap} zeros, the recall
 * marker {@code !}, and the key again, e.g. {@code 0000?10!1}, {@code 00?,00!,}.
 *
 * <p>Memory position: the prediction of the final {@code c} (input {@code !}). The key after
 * {@code ?} is random and cannot be predicted; everything else is filler.
 */
public final class KeyRecall implements CharTask {
    private final String symbols;
    private final int maxLead, maxGap;
    private final Alphabet alphabet;

    /**
     * @param symbols the keys, e.g. {@code "12345"}; must not contain {@code 0 ? !}
     * @param maxLead most zeros before {@code ?} (paper: 5), {@code >= 1}
     * @param maxGap  most zeros between key and {@code !} (paper: 2), {@code >= 1}
     */
    public KeyRecall(String symbols, int maxLead, int maxGap) {
        if (symbols == null || symbols.isEmpty()) throw new IllegalArgumentException("symbols must not be empty");
        for (char c : "0?!".toCharArray())
            if (symbols.indexOf(c) >= 0) throw new IllegalArgumentException("symbols must not contain '" + c + "' (reserved), got \"" + symbols + "\"");
        this.symbols = symbols;
        this.maxLead = Check.positive("maxLead", maxLead);
        this.maxGap = Check.positive("maxGap", maxGap);
        this.alphabet = new Alphabet("0?!" + symbols);
    }

    /** The paper's setting: 1–5 leading zeros, 1–2 gap zeros, keys {@code 12345}. */
    public static KeyRecall paper() { return new KeyRecall("12345", 5, 2); }

    @Override public String name() { return "key-recall"; }

    @Override public Alphabet alphabet() { return alphabet; }

    @Override public int maxLength() { return maxLead + maxGap + 4; }

    @Override
    public Sample sample(SplittableRandom rng) {
        int lead = 1 + rng.nextInt(maxLead), gap = 1 + rng.nextInt(maxGap);
        char key = CharTask.pick(rng, symbols);
        String text = "0".repeat(lead) + "?" + key + "0".repeat(gap) + "!" + key;
        boolean[] memory = new boolean[text.length() - 1];
        memory[memory.length - 1] = true;
        return new Sample(text, memory);
    }
}
