package memlab.memory;

/**
 * Summaries of attention maps {@code w[t][j]} (time step × slot, each row sums to 1), used to say
 * in numbers what a heatmap shows.
 */
public final class AttentionStats {
    private AttentionStats() {}

    /** Mean over time steps of the largest weight, {@code (1/T) Σ_t max_j w[t][j]}: 1/S when diffuse, 1 when one slot per step. */
    public static double meanMax(float[][] w) {
        double sum = 0;
        for (float[] row : w) {
            double mx = 0;
            for (float v : row) mx = Math.max(mx, v);
            sum += mx;
        }
        return sum / w.length;
    }

    /** Mean over time steps of the entropy divided by {@code log S}: 1 for uniform rows, 0 for one-hot rows. */
    public static double normalisedEntropy(float[][] w) {
        double sum = 0;
        for (float[] row : w) {
            double h = 0;
            for (float v : row) if (v > 0) h -= v * Math.log(v);
            sum += h / Math.log(row.length);
        }
        return sum / w.length;
    }

    /**
     * Fraction of time steps whose read focuses on the slot the write of the same step focused on:
     * {@code (1/T) Σ_t [argmax_j read[t][j] = argmax_j write[t][j]]}; about 1/S by chance.
     */
    public static double readFollowsWrite(float[][] write, float[][] read) {
        if (write.length != read.length) throw new IllegalArgumentException("write has " + write.length + " steps, read " + read.length);
        int hits = 0;
        for (int t = 0; t < write.length; t++) if (argmax(write[t]) == argmax(read[t])) hits++;
        return (double) hits / write.length;
    }

    static int argmax(float[] row) {
        int best = 0;
        for (int j = 1; j < row.length; j++) if (row[j] > row[best]) best = j;
        return best;
    }
}
