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

    /**
     * Share of entries that are saturated, below {@code eps} or above {@code 1 − eps}: where a softmax
     * sits there its derivative {@code w(1 − w)} is below about {@code eps}, so addressing barely learns.
     */
    public static double saturatedShare(float[][] w, double eps) {
        long hits = 0, all = 0;
        for (float[] row : w)
            for (float v : row) {
                all++;
                if (v < eps || v > 1 - eps) hits++;
            }
        return (double) hits / all;
    }

    /** Slot usage: the mean weight each slot received over all rows, {@code u_j = (1/T) Σ_t w[t][j]}; sums to 1. */
    public static double[] slotUsage(float[][] w) {
        double[] u = new double[w[0].length];
        for (float[] row : w) for (int j = 0; j < row.length; j++) u[j] += row[j];
        for (int j = 0; j < u.length; j++) u[j] /= w.length;
        return u;
    }

    /**
     * Effective number of slots used, {@code exp(−Σ_j u_j log u_j)} of a usage distribution: S when
     * every slot is used equally, 1 when all weight goes to one slot.
     */
    public static double effectiveSlots(double[] usage) {
        double h = 0;
        for (double v : usage) if (v > 0) h -= v * Math.log(v);
        return Math.exp(h);
    }

    static int argmax(float[] row) {
        int best = 0;
        for (int j = 1; j < row.length; j++) if (row[j] > row[best]) best = j;
        return best;
    }
}
