package memlab.dnc;

import ai.djl.ndarray.NDArray;
import memlab.core.Scalars;

/**
 * Memory usage of the Differentiable Neural Computer (Graves et al. 2016, "Hybrid computing using a
 * neural network with dynamic external memory", Methods, "Dynamic memory allocation"):
 * <pre>
 *   ψ_t = Π_i (1 − f_t^i w_{t−1}^{r,i})                           retention: the free gates f^i ∈ [0, 1]
 *                                                                  let read head i release what it just read
 *   u_t = (u_{t−1} + w_{t−1}^w − u_{t−1} ⊙ w_{t−1}^w) ⊙ ψ_t        usage: raised by the last write, kept by ψ
 * </pre>
 * with {@code u_0 = 0}. Every factor lies in [0, 1], so {@code u_t ∈ [0, 1]^S}. The gradient flows
 * through every term, as the paper writes it (DeepMind's release stops it at the write weights).
 */
public final class Usage {
    private Usage() {}

    /**
     * Memory retention {@code ψ_t = Π_i (1 − f^i w^{r,i})}.
     *
     * @param freeGates   {@code f_t} {@code (N, H)} or {@code (N, H, 1)}, each in [0, 1]
     * @param readWeights {@code w_{t−1}^r} {@code (N, H, S)}
     * @return {@code (N, 1, S)}
     */
    public static NDArray retention(NDArray freeGates, NDArray readWeights) {
        NDArray f = freeGates.getShape().dimension() == 2 ? freeGates.expandDims(2) : freeGates;
        NDArray kept = Scalars.addi(readWeights.mul(f).negi(), 1);            // 1 − f w, (N, H, S); in place (see Dnc)
        return kept.getShape().get(1) == 1 ? kept : kept.prod(new int[]{1}, true);   // one head: the product is its one factor
    }

    /**
     * Usage after the last write and this step's frees, {@code u_t = (u + w − u ⊙ w) ⊙ ψ}.
     *
     * @param usage        {@code u_{t−1}} {@code (N, S)} or {@code (N, 1, S)}
     * @param writeWeights {@code w_{t−1}^w}, the same shape
     * @param retention    {@code ψ_t}, the same shape
     * @return {@code u_t}, the same shape
     */
    public static NDArray next(NDArray usage, NDArray writeWeights, NDArray retention) {
        return usage.add(writeWeights).subi(usage.mul(writeWeights)).mul(retention);
    }
}
