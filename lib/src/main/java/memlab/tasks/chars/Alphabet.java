package memlab.tasks.chars;

import java.util.Arrays;

/**
 * The characters of a task and their one-hot code: character {@code alphabet.charAt(i)} is index
 * {@code i}, encoded as the unit vector {@code e_i} of length {@link #size()}.
 */
public final class Alphabet {
    private final String chars;
    private final int[] index = new int[Character.MAX_VALUE + 1];

    /**
     * @param chars the characters, each once, e.g. {@code "0?!12345"}
     */
    public Alphabet(String chars) {
        if (chars == null || chars.isEmpty()) throw new IllegalArgumentException("alphabet must not be empty");
        Arrays.fill(index, -1);
        for (int i = 0; i < chars.length(); i++) {
            char c = chars.charAt(i);
            if (index[c] >= 0) throw new IllegalArgumentException("alphabet has '" + c + "' twice: \"" + chars + "\"");
            index[c] = i;
        }
        this.chars = chars;
    }

    /** Number of characters V. */
    public int size() { return chars.length(); }

    /** The characters in index order. */
    public String chars() { return chars; }

    /** Index of {@code c}. */
    public int indexOf(char c) {
        int i = index[c];
        if (i < 0) throw new IllegalArgumentException("character '" + c + "' is not in the alphabet \"" + chars + "\"");
        return i;
    }

    /** Character of index {@code i}, {@code 0 <= i < size()}. */
    public char charAt(int i) {
        if (i < 0 || i >= chars.length()) throw new IllegalArgumentException("index must be in [0, " + (chars.length() - 1) + "], got " + i);
        return chars.charAt(i);
    }

    /** The indices of the characters of {@code text}. */
    public int[] encode(String text) {
        int[] out = new int[text.length()];
        for (int i = 0; i < out.length; i++) out[i] = indexOf(text.charAt(i));
        return out;
    }

    /** The text of {@code indices}. */
    public String decode(int[] indices) {
        StringBuilder sb = new StringBuilder(indices.length);
        for (int i : indices) sb.append(charAt(i));
        return sb.toString();
    }

    /** The one-hot vector of {@code c}: 1 at {@link #indexOf(char)}, 0 elsewhere. */
    public float[] oneHot(char c) {
        float[] v = new float[size()];
        v[indexOf(c)] = 1f;
        return v;
    }

    @Override
    public String toString() { return "Alphabet\"" + chars + "\""; }
}
