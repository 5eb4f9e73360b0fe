package memlab.memn2n;

/**
 * The position encoding of Sukhbaatar et al. (2015, "End-To-End Memory Networks", §4.1): the words of a
 * sentence are summed with weights that depend on where they stand, so "mary is the mother of anne" and
 * "anne is the mother of mary" differ:
 * <pre>
 *   m_i = Σ_j l_j ⊙ A x_ij,      l_kj = (1 − j/J) − (k/d)(1 − 2j/J)
 * </pre>
 * with {@code j = 1..J} the word's position in its sentence of {@code J} words and {@code k = 1..d} the
 * embedding dimension. Without it the sentence is a bag of words, {@code l_kj = 1}. Padding words get
 * weight 0, so a sentence's representation does not depend on how much padding follows it.
 */
public final class PositionEncoding {
    private PositionEncoding() {}

    /** {@code l_kj} for word {@code j} (1-based) of a sentence of {@code length} words, dimension {@code k} (1-based) of {@code d}. */
    public static double weight(int j, int k, int length, int d) {
        return (1 - (double) j / length) - ((double) k / d) * (1 - 2.0 * j / length);
    }

    /**
     * The weights of {@code lengths.length} sentences of {@code words} slots each, as a row-major
     * {@code (n, words, d)} array (double, so float64 checks see the exact weights): {@link #weight} (or 1 with {@code positional == false}) for the words
     * of each sentence, 0 for its padding.
     */
    static double[] weights(int[] lengths, int words, int d, boolean positional) {
        double[] l = new double[lengths.length * words * d];
        for (int s = 0; s < lengths.length; s++)
            for (int j = 0; j < lengths[s]; j++)
                for (int k = 0; k < d; k++)
                    l[(s * words + j) * d + k] = positional ? weight(j + 1, k + 1, lengths[s], d) : 1;
        return l;
    }
}
