package memlab.memory;

import ai.djl.ndarray.NDArray;
import memlab.core.Scalars;

/**
 * Content addressing: how strongly a query matches each memory slot.
 *
 * <p>For memory {@code M} of shape {@code (N, S, D)} (N independent memories of S slots) and
 * queries {@code q} of shape {@code (N, K, D)}, two forms are used by the lab's models:
 * <ul>
 *   <li>{@link #content}: {@code w[n, k, s] = softmax_s( Σ_d M[n, s, d] · q[n, k, d] )}, unscaled as in
 *       the EGL paper (Masuda 2025);</li>
 *   <li>{@link #cosine}: the NTM's (Graves, Wayne, Danihelka 2014, eq. 5–6)
 *       <pre>  w[n, k, s] = softmax_s( β[n, k] · K(q[n, k], M[n, s]) ),   K(u, v) = u·v / (‖u‖ ‖v‖ + ε)</pre>
 *       with key strength {@code β > 0} and {@code ε = 1e-8} (as {@code torch.cosine_similarity}:
 *       keeps K finite when a key or a slot is all zeros).</li>
 * </ul>
 */
public final class Addressing {
    /** The ε of the cosine similarity's denominator. */
    public static final double COSINE_EPS = 1e-8;

    private Addressing() {}

    /** Softmax weights over slots, shape {@code (N, K, S)}. */
    public static NDArray content(NDArray memory, NDArray queries) {
        return queries.batchMatMul(memory.transpose(0, 2, 1)).softmax(2);
    }

    /**
     * What every cosine lookup in one memory state shares: {@code Mᵀ} {@code (N, D, S)} and the slot
     * norms {@code ‖M[s]‖} as a row {@code (N, 1, S)}. Made once per state when several lookups read
     * it (the DNC reads {@code M_t} at step t and writes by content in it at step t + 1).
     */
    public record Slots(NDArray transposed, NDArray norms) {
        /** The shared parts of {@code memory} {@code (N, S, D)}. */
        public static Slots of(NDArray memory) {
            return new Slots(memory.transpose(0, 2, 1), memory.norm(2, new int[]{2}, false).expandDims(1));
        }
    }

    /**
     * Cosine similarity of each key with each slot, {@code K(k, M[s]) = k·M[s] / (‖k‖ ‖M[s]‖ + ε)}.
     *
     * @param memory {@code (N, S, D)}
     * @param keys   {@code (N, K, D)}
     * @return {@code (N, K, S)}, each entry in [−1, 1]
     */
    public static NDArray cosineSimilarity(NDArray memory, NDArray keys) {
        return cosineSimilarity(Slots.of(memory), keys);
    }

    /** As {@link #cosineSimilarity(NDArray, NDArray)} in a memory state's shared {@link Slots}. */
    public static NDArray cosineSimilarity(Slots memory, NDArray keys) {
        NDArray dot = keys.batchMatMul(memory.transposed());                     // (N, K, S)
        NDArray keyNorm = keys.norm(2, new int[]{2}, true);                      // (N, K, 1)
        return dot.div(Scalars.addi(keyNorm.mul(memory.norms()), COSINE_EPS));   // ε added in place to a fresh product
    }

    /**
     * The NTM's content weighting {@code w^c = softmax_S(β K(k, M))}.
     *
     * @param memory {@code (N, S, D)}
     * @param keys   {@code (N, K, D)}
     * @param beta   key strengths {@code (N, K)} or {@code (N, K, 1)}, each {@code > 0} (the caller's activation ensures it)
     * @return {@code (N, K, S)}, each row summing to 1
     */
    public static NDArray cosine(NDArray memory, NDArray keys, NDArray beta) {
        return cosine(Slots.of(memory), keys, beta);
    }

    /** As {@link #cosine(NDArray, NDArray, NDArray)} in a memory state's shared {@link Slots}. */
    public static NDArray cosine(Slots memory, NDArray keys, NDArray beta) {
        return cosineSimilarity(memory, keys).mul(perRow(beta)).softmax(2);
    }

    /** A per-row number {@code (N, K)} as {@code (N, K, 1)}, to broadcast over the slots; {@code (N, K, 1)} as is. */
    static NDArray perRow(NDArray a) {
        return a.getShape().dimension() == 2 ? a.expandDims(2) : a;
    }
}
