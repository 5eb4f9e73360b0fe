package memlab.memory;

import ai.djl.ndarray.NDArray;

/**
 * Content addressing: how strongly a query matches each memory slot.
 *
 * <p>For memory {@code M} of shape {@code (N, S, D)} (N independent memories of S slots) and
 * queries {@code q} of shape {@code (N, K, D)}, the weights are
 * <pre>  w[n, k, s] = softmax_s( Σ_d M[n, s, d] · q[n, k, d] )</pre>
 * i.e. {@code softmax_S(M q)} for each of the K queries, unscaled as in the EGL paper.
 */
public final class Addressing {
    private Addressing() {}

    /** Softmax weights over slots, shape {@code (N, K, S)}. */
    public static NDArray content(NDArray memory, NDArray queries) {
        return queries.batchMatMul(memory.transpose(0, 2, 1)).softmax(2);
    }
}
