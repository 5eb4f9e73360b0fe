package memlab.attention;

import ai.djl.ndarray.NDArray;

import java.util.SplittableRandom;

/**
 * Hard attention's choice (Xu et al. 2015, "Show, Attend and Tell"): one source position per decoder step,
 * {@code j_t ~ Categorical(α_t)}, as a one-hot selector {@code z_t} so that {@code c_t = Σ_j z_tj h_j}.
 *
 * <p>The draw happens on the host from the run's own {@link SplittableRandom} (no engine-side sampling in
 * the library, see {@link memlab.core.Seeds}), so a run's choices do not depend on the other runs of a batch.
 */
public final class HardAttention {
    private HardAttention() {}

    /**
     * One position per row of {@code alpha} {@code (R, B, L)}, drawn with probabilities {@code alpha} from
     * {@code rngs[r]} for run {@code r}; with {@code rngs == null} the most probable position (evaluation).
     *
     * @return the one-hot selectors, same shape and type as {@code alpha}, no gradient, in the engine's own memory
     */
    public static NDArray choose(NDArray alpha, SplittableRandom[] rngs) {
        long[] s = alpha.getShape().getShape();
        int runs = (int) s[0], rows = (int) (s[1]), len = (int) s[2];
        if (rngs != null && rngs.length != runs)
            throw new IllegalArgumentException("need one random stream per run: " + runs + " runs, " + rngs.length + " streams");
        double[] p = alpha.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).toDoubleArray();
        float[] z = new float[p.length];
        for (int r = 0; r < runs; r++)
            for (int b = 0; b < rows; b++) {
                int o = (r * rows + b) * len;
                z[o + (rngs == null ? argMax(p, o, len) : draw(p, o, len, rngs[r]))] = 1;
            }
        // a copy in the engine's memory: an array made from host numbers reads a Java buffer that is freed once the
        // array is closed and collected, while autograd keeps the selector for the backward pass (and a decoder
        // step closes its temporaries before that, see Seq2Seq); measured: with the buffer, notebook 05's hard
        // attention trained differently from run to run
        try (NDArray host = alpha.getManager().create(z, alpha.getShape())) {
            // duplicate: a clone; toType to the same type would hand back a view of the same buffer
            return host.getDataType() == alpha.getDataType() ? host.duplicate() : host.toType(alpha.getDataType(), false);
        }
    }

    /** Inverse-CDF draw from {@code p[o..o+len)}; the last position absorbs rounding. */
    static int draw(double[] p, int o, int len, SplittableRandom rng) {
        double u = rng.nextDouble(), acc = 0;
        for (int j = 0; j < len - 1; j++) {
            acc += p[o + j];
            if (u < acc) return j;
        }
        return len - 1;
    }

    private static int argMax(double[] p, int o, int len) {
        int best = 0;
        for (int j = 1; j < len; j++) if (p[o + j] > p[o + best]) best = j;
        return best;
    }
}
