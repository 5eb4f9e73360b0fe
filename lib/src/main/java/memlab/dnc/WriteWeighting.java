package memlab.dnc;

import ai.djl.ndarray.NDArray;

/**
 * The DNC's write weighting (Graves et al. 2016, Methods, "Write weighting"):
 * <pre>
 *   w_t^w = g_t^w [ g_t^a a_t + (1 − g_t^a) c_t^w ]
 * </pre>
 * the allocation gate {@code g^a ∈ [0, 1]} chooses between writing to free slots ({@code a_t},
 * {@link Allocation}) and to the slots whose content matches the write key ({@code c_t^w}); the write
 * gate {@code g^w ∈ [0, 1]} decides whether to write at all.
 */
public final class WriteWeighting {
    private WriteWeighting() {}

    /**
     * @param allocation     {@code a_t} {@code (N, S)} (or {@code (N, 1, S)}, the model step's row)
     * @param content        {@code c_t^w}, the same shape
     * @param allocationGate {@code g_t^a} {@code (N, 1)} (or {@code (N, 1, 1)})
     * @param writeGate      {@code g_t^w}, as the allocation gate
     * @return {@code w_t^w}, the shape of {@code allocation}
     */
    public static NDArray weights(NDArray allocation, NDArray content, NDArray allocationGate, NDArray writeGate) {
        return allocationGate.mul(allocation.sub(content)).addi(content).mul(writeGate);
    }
}
