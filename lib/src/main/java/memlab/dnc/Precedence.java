package memlab.dnc;

import ai.djl.ndarray.NDArray;

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
     * @param precedence   {@code p_{t−1}} {@code (N, S)} or {@code (N, 1, S)}
     * @param writeWeights {@code w_t^w}, the same shape
     * @return {@code p_t}, the same shape
     */
    public static NDArray next(NDArray precedence, NDArray writeWeights) {
        NDArray written = writeWeights.sum(new int[]{writeWeights.getShape().dimension() - 1}, true);   // Σ_i w[i]
        return precedence.sub(written.mul(precedence)).addi(writeWeights);     // p − (Σ w) p + w: one operation fewer than (1 − Σ w) p
    }
}
