package memlab.tasks.chars;

/**
 * One generated sequence and which of its next-character predictions need memory.
 *
 * <p>The model reads {@code text[0..n-2]} and predicts {@code text[1..n-1]}: prediction {@code t}
 * has input {@code text[t]} and target {@code text[t+1]}. {@code memory[t]} is true when that target
 * can only be predicted from characters seen earlier than {@code text[t]} (the recalled key, the
 * repeated part, the mirrored half). Overall accuracy is dominated by filler characters; accuracy
 * on these positions is the one that measures memory.
 *
 * @param text   the sequence, at least 2 characters
 * @param memory one flag per prediction, length {@code text.length() - 1}
 */
public record Sample(String text, boolean[] memory) {
    public Sample {
        if (text == null || text.length() < 2) throw new IllegalArgumentException("text must have at least 2 characters, got " + text);
        if (memory.length != text.length() - 1)
            throw new IllegalArgumentException("memory must have one flag per prediction (" + (text.length() - 1) + "), got " + memory.length);
    }

    /** Number of predictions, {@code text.length() - 1}. */
    public int predictions() { return text.length() - 1; }

    /** Number of predictions that need memory. */
    public int memoryPositions() {
        int n = 0;
        for (boolean b : memory) if (b) n++;
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sample s && s.text.equals(text) && java.util.Arrays.equals(s.memory, memory);
    }

    @Override
    public int hashCode() { return text.hashCode() * 31 + java.util.Arrays.hashCode(memory); }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(text).append("  memory targets: ");
        for (int t = 0; t < memory.length; t++) sb.append(memory[t] ? text.charAt(t + 1) : '.');
        return sb.toString();
    }
}
