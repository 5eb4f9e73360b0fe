package memlab.dnc;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import memlab.core.Scalars;

/**
 * The DNC's allocation weighting (Graves et al. 2016, Methods, "Dynamic memory allocation"): with
 * {@code φ_t} the slots sorted by ascending usage ({@code φ_t[1]} the least used),
 * <pre>
 *   a_t[φ_t[j]] = (1 − u_t[φ_t[j]]) Π_{i=1}^{j−1} u_t[φ_t[i]]
 * </pre>
 * so the least used slot gets {@code 1 − u}, and each later slot only what the freer ones leave.
 * {@code Σ_j a_t[j] = 1 − Π_j u_t[j] ≤ 1}.
 *
 * <p>Ties: slots of equal usage are ordered by index (lower first), so the weighting is a function of
 * {@code u} alone (the all-zero usage of the first step allocates slot 0). The order is found from
 * pairwise comparisons (each slot's rank), which is exact and the same on every device, not from an
 * unstable sort; the ranks are distinct, so sorting them has no ties left.
 *
 * <p>Gradient: as in the paper, the order is held fixed ("we ignore these discontinuities"); the
 * gradient flows through the usage values along the sorted product (the cumulative product).
 */
public final class Allocation {
    private Allocation() {}

    /**
     * @param usage {@code u_t} {@code (N, S)}, entries in [0, 1]
     * @return {@code a_t} {@code (N, S)}
     */
    public static NDArray weights(NDArray usage) {
        return weights(usage, lowerIndex(usage.getManager(), (int) usage.getShape().get(1)));
    }

    /** As {@link #weights(NDArray)} with the tie-break mask {@link #lowerIndex} made once per sequence. */
    public static NDArray weights(NDArray usage, NDArray lowerIndex) {
        long slots = usage.getShape().get(1);
        NDArray rank = rank(usage, lowerIndex);                               // position of each slot in the order
        NDArray order = rank.argSort(1);                          // φ: slot at each position
        NDArray sorted = usage.gather(order, 1);                  // u[φ]
        NDArray ones = usage.getManager().ones(new Shape(usage.getShape().get(0), 1), usage.getDataType());
        NDArray allButLast = sorted.split(new long[]{slots - 1}, 1).get(0);  // a split: cheaper than an index slice in DJL
        NDArray freer = NDArrays.concat(new NDList(ones, allButLast), 1).cumProd(1); // Π_{i<j} u[φ_i]
        return Scalars.minus(1, sorted).mul(freer).gather(rank, 1);   // back to slot order
    }

    /**
     * The rank of each slot in the ascending-usage order, ties by index:
     * {@code rank_j = #{i : u_i < u_j} + #{i < j : u_i = u_j}}, a permutation of {@code 0 … S−1}.
     *
     * @return {@code (N, S)}, int64
     */
    public static NDArray rank(NDArray usage) {
        return rank(usage, lowerIndex(usage.getManager(), (int) usage.getShape().get(1)));
    }

    /** As {@link #rank(NDArray)} with the mask {@link #lowerIndex}. */
    public static NDArray rank(NDArray usage, NDArray lowerIndex) {
        NDArray u = usage.stopGradient();
        NDArray ui = u.expandDims(2), uj = u.expandDims(1);       // (N, S, 1), (N, 1, S)
        NDArray before = ui.lt(uj).logicalOr(ui.eq(uj).logicalAnd(lowerIndex));      // slot i before slot j
        return before.toType(DataType.INT64, false).sum(new int[]{1});
    }

    /** {@code [i < j]}, the tie-break of the order, {@code (1, S, S)} boolean. */
    public static NDArray lowerIndex(NDManager m, int slots) {
        NDArray idx = m.arange(slots);
        return idx.expandDims(1).lt(idx.expandDims(0)).expandDims(0);
    }
}
