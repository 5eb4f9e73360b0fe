package memlab.dnc;

import ai.djl.ndarray.NDArray;

/**
 * The two layouts of a per-slot weighting over S slots (usage, write weights, precedence,
 * allocation) that the DNC's updates broadcast against: the row {@code (N, 1, S)} (indexed by j in
 * {@code L[i, j]}, or by slot when it scales memory columns) and the column {@code (N, S, 1)} (indexed
 * by i, or by slot when it scales memory rows). The model step keeps its weightings as rows, so a row
 * costs no operation; the mechanisms also take the plain {@code (N, S)} form.
 */
final class SlotLayout {
    private SlotLayout() {}

    /** {@code (N, S)} or {@code (N, 1, S)} as the row {@code (N, 1, S)} (no operation for a row). */
    static NDArray row(NDArray w) {
        return w.getShape().dimension() == 2 ? w.expandDims(1) : w;
    }

    /** {@code (N, S)} or {@code (N, 1, S)} as the column {@code (N, S, 1)}. */
    static NDArray column(NDArray w) {
        return w.getShape().dimension() == 2 ? w.expandDims(2) : w.transpose(0, 2, 1);
    }

    /** The number of slots S, the last dimension. */
    static int slots(NDArray w) {
        return (int) w.getShape().get(w.getShape().dimension() - 1);
    }
}
