package memlab.diagnostics;

import ai.djl.ndarray.NDArray;
import memlab.core.Check;
import memlab.memory.AttentionStats;

import java.util.Arrays;

/**
 * What the addressing weights of one kind (read or write) look like, per run: every row (one
 * sequence, step and head) is a distribution over the S slots.
 * <ul>
 *   <li>{@code saturation}: share of weights below ε or above 1 − ε ({@link AttentionStats#saturatedShare});</li>
 *   <li>{@code entropy}: mean row entropy over {@code log S} ({@link AttentionStats#normalisedEntropy}):
 *       1 uniform, 0 one slot;</li>
 *   <li>{@code usage}: mean weight per slot over all rows ({@link AttentionStats#slotUsage}), the
 *       slot-usage histogram, and {@code effectiveSlots} = exp(entropy of usage)
 *       ({@link AttentionStats#effectiveSlots}).</li>
 * </ul>
 *
 * @param saturation     per run
 * @param entropy        per run
 * @param usage          {@code usage[r][s]}, each run's row sums to 1
 * @param effectiveSlots per run
 */
public record AttentionSummary(double[] saturation, double[] entropy, double[][] usage, double[] effectiveSlots) {
    /** The saturation threshold of the diagnostics, 1e-3. */
    public static final double SATURATION_EPS = 1e-3;

    /** Summarises weights {@code (R, ..., S)} with saturation threshold {@value #SATURATION_EPS}. */
    public static AttentionSummary of(NDArray weights) {
        return of(weights, SATURATION_EPS);
    }

    /** Summarises weights {@code (R, ..., S)}; {@code eps} in (0, 0.5). */
    public static AttentionSummary of(NDArray weights, double eps) {
        if (!(eps > 0 && eps < 0.5)) throw new IllegalArgumentException("eps must be in (0, 0.5), got " + eps);
        long[] shape = weights.getShape().getShape();
        int runs = (int) shape[0], slots = (int) shape[shape.length - 1];
        Check.positive("slots", slots);
        float[] all = weights.toFloatArray();
        int rows = all.length / (runs * slots);
        double[] sat = new double[runs], ent = new double[runs], eff = new double[runs];
        double[][] usage = new double[runs][];
        for (int r = 0; r < runs; r++) {
            float[][] w = new float[rows][];
            for (int i = 0; i < rows; i++) w[i] = Arrays.copyOfRange(all, (r * rows + i) * slots, (r * rows + i + 1) * slots);
            sat[r] = AttentionStats.saturatedShare(w, eps);
            ent[r] = AttentionStats.normalisedEntropy(w);
            usage[r] = AttentionStats.slotUsage(w);
            eff[r] = AttentionStats.effectiveSlots(usage[r]);
        }
        return new AttentionSummary(sat, ent, usage, eff);
    }
}
