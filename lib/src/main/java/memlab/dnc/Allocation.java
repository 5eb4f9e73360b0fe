package memlab.dnc;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

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
 * pairwise comparisons, which is exact and the same on every device, not from an unstable sort.
 *
 * <p>Computed without sorting: the product over the slots before slot j in the order is the product
 * over all slots i of {@code u_i} where i comes before j and 1 elsewhere,
 * <pre>
 *   a_t[j] = (1 − u_t[j]) Π_i (i before j ? u_t[i] : 1)
 * </pre>
 * the same factors as the sorted cumulative product (multiplied in another order), in a handful of
 * whole-matrix operations instead of a sort, two gathers and a cumulative product.
 *
 * <p>Gradient: as in the paper, the order is held fixed ("we ignore these discontinuities"); the
 * gradient flows through the usage values along the product.
 */
public final class Allocation {
    private Allocation() {}

    /**
     * The per-pass constants of the weighting for N rows of S slots: {@code atOrAfter = [i ≥ j]}
     * (boolean, the tie-break) and ones, both {@code (N, S, S)} (DJL's {@code where} takes no
     * broadcast condition). Made once per sequence, not per step.
     */
    public record Constants(NDArray atOrAfter, NDArray ones) {}

    /** {@link Constants} for {@code n} rows of {@code slots} slots of type {@code type}. */
    public static Constants constants(NDManager m, long n, int slots, DataType type) {
        NDArray idx = m.arange(slots);
        Shape full = new Shape(n, slots, slots);
        return new Constants(idx.expandDims(1).gte(idx.expandDims(0)).expandDims(0).broadcast(full), m.ones(full, type));
    }

    /**
     * @param usage {@code u_t} {@code (N, S)} or {@code (N, 1, S)}, entries in [0, 1]
     * @return {@code a_t} {@code (N, 1, S)}
     */
    public static NDArray weights(NDArray usage) {
        return weights(usage, constants(usage.getManager(), usage.getShape().get(0), SlotLayout.slots(usage), usage.getDataType()));
    }

    /** As {@link #weights(NDArray)} with the {@link Constants} made once per sequence. */
    public static NDArray weights(NDArray usage, Constants c) {
        NDArray ui = SlotLayout.column(usage), uj = SlotLayout.row(usage);   // (N, S, 1), (N, 1, S)
        NDArray freer = NDArrays.where(notBefore(ui, uj, c), c.ones(), ui)
                .prod(new int[]{1}, true);                                     // Π_{i before j} u_i, (N, 1, S)
        return freer.sub(uj.mul(freer));                                      // (1 − u_j) Π…, as Π… − u_j Π…
    }

    /**
     * The rank of each slot in the ascending-usage order, ties by index:
     * {@code rank_j = #{i : u_i < u_j} + #{i < j : u_i = u_j}}, a permutation of {@code 0 … S−1}.
     *
     * @param usage {@code (N, S)} or {@code (N, 1, S)}
     * @return {@code (N, S)}, int64
     */
    public static NDArray rank(NDArray usage) {
        Constants c = constants(usage.getManager(), usage.getShape().get(0), SlotLayout.slots(usage), usage.getDataType());
        return notBefore(SlotLayout.column(usage), SlotLayout.row(usage), c).logicalNot().toType(DataType.INT64, false).sum(new int[]{1});
    }

    /**
     * {@code [slot i does not come before slot j]} in the order, {@code (N, S, S)} boolean:
     * {@code u_i > u_j}, or a tie with {@code i ≥ j} (a slot is not before itself). Comparisons carry
     * no gradient.
     */
    static NDArray notBefore(NDArray ui, NDArray uj, Constants c) {
        return NDArrays.where(c.atOrAfter(), ui.gte(uj), ui.gt(uj));
    }
}
