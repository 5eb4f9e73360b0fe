package memlab.dnc;

import ai.djl.ndarray.NDArray;
import memlab.core.Scalars;

/**
 * The DNC's precedence weighting (Graves et al. 2016, Methods, "Temporal memory linkage"):
 * <pre>
 *   p_t = (1 − Σ_i w_t^w[i]) p_{t−1} + w_t^w,     p_0 = 0
 * </pre>
 * {@code p_t[i]} is the degree to which slot i was the last one written: a write of total weight 1
 * replaces it, a write of weight 0 leaves it.
 */
public final class Precedence {
    private Precedence() {}

    /**
     * @param precedence   {@code p_{t−1}} {@code (N, S)}
     * @param writeWeights {@code w_t^w} {@code (N, S)}
     * @return {@code p_t} {@code (N, S)}
     */
    public static NDArray next(NDArray precedence, NDArray writeWeights) {
        return Scalars.minus(1, writeWeights.sum(new int[]{1}, true)).mul(precedence).add(writeWeights);
    }
}
