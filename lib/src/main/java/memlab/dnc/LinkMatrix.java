package memlab.dnc;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * The DNC's temporal link matrix (Graves et al. 2016, Methods, "Temporal memory linkage"):
 * {@code L_t[i, j]} is the degree to which slot i was written right after slot j.
 * <pre>
 *   L_t[i, j] = (1 − w_t^w[i] − w_t^w[j]) L_{t−1}[i, j] + w_t^w[i] p_{t−1}[j],   L_t[i, i] = 0,   L_0 = 0
 *   f_t^i = L_t w_{t−1}^{r,i}        forward weighting: where the writes went next
 *   b_t^i = L_tᵀ w_{t−1}^{r,i}       backward weighting: where they came from
 * </pre>
 * The diagonal is zero because a slot cannot follow itself. Rows and columns of {@code L_t} sum to at
 * most 1 (the paper's proof), so {@code f} and {@code b} are weightings of total at most 1.
 */
public final class LinkMatrix {
    private LinkMatrix() {}

    /**
     * @param links        {@code L_{t−1}} {@code (N, S, S)}
     * @param precedence   {@code p_{t−1}} {@code (N, S)} (before this step's write) or {@code (N, 1, S)}
     * @param writeWeights {@code w_t^w}, the same shape
     * @return {@code L_t} {@code (N, S, S)}
     */
    public static NDArray next(NDArray links, NDArray precedence, NDArray writeWeights) {
        return next(links, precedence, writeWeights, offDiagonal(links.getManager(), (int) links.getShape().get(1), links.getDataType()));
    }

    /**
     * As {@link #next(NDArray, NDArray, NDArray)} with the mask {@link #offDiagonal} made once per
     * sequence (a model step should not rebuild a constant). The weightings may also be rows {@code (N, 1, S)}.
     */
    public static NDArray next(NDArray links, NDArray precedence, NDArray writeWeights, NDArray offDiagonal) {
        return next(links, SlotLayout.row(precedence), SlotLayout.row(writeWeights), SlotLayout.column(writeWeights), offDiagonal);
    }

    /**
     * The update from the layouts the model step already has: {@code p_{t−1}} and {@code w_t^w} as rows
     * {@code (N, 1, S)} (index j), {@code w_t^w} also as the column {@code (N, S, 1)} (index i).
     */
    static NDArray next(NDArray links, NDArray precedenceRow, NDArray writeRow, NDArray writeColumn, NDArray offDiagonal) {
        // L − (w_i + w_j) L + w_i p_j: the same sum as the definition, in fewer operations
        return links.sub(writeColumn.add(writeRow).mul(links)).addi(writeColumn.mul(precedenceRow)).muli(offDiagonal);
    }

    /** {@code 1 − I}: zero on the diagonal, one elsewhere, {@code (S, S)}. */
    public static NDArray offDiagonal(NDManager m, int slots, DataType type) {
        return m.eye(slots).toType(type, false).neg().add(1);
    }

    /**
     * Forward weightings {@code f^i = L w^{r,i}}.
     *
     * @param links       {@code L_t} {@code (N, S, S)}
     * @param readWeights {@code w_{t−1}^r} {@code (N, H, S)}
     * @return {@code (N, H, S)}
     */
    public static NDArray forward(NDArray links, NDArray readWeights) {
        return readWeights.batchMatMul(links.transpose(0, 2, 1));
    }

    /**
     * Backward weightings {@code b^i = Lᵀ w^{r,i}}.
     *
     * @param links       {@code L_t} {@code (N, S, S)}
     * @param readWeights {@code w_{t−1}^r} {@code (N, H, S)}
     * @return {@code (N, H, S)}
     */
    public static NDArray backward(NDArray links, NDArray readWeights) {
        return readWeights.batchMatMul(links);
    }
}
