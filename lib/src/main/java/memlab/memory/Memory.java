package memlab.memory;

import ai.djl.ndarray.NDArray;

/**
 * The two memory operations shared by the memory models: erase-then-add write and weighted read.
 * Shapes: memory {@code M} is {@code (N, S, D)}; weights are over the S slots.
 */
public final class Memory {
    private Memory() {}

    /**
     * Erase-then-add write with one weighting {@code w} {@code (N, S)} and value {@code v} {@code (N, D)}:
     * <pre>  M' = M ⊙ (1 − w 1ᵀ) + w vᵀ</pre>
     */
    public static NDArray write(NDArray memory, NDArray w, NDArray v) {
        NDArray wc = w.expandDims(2);                    // (N, S, 1)
        return memory.sub(memory.mul(wc)).add(wc.mul(v.expandDims(1)));
    }

    /**
     * Reads with weightings {@code r} {@code (N, K, S)}: {@code o[n, k] = Σ_j r[n, k, j] M[n, j]},
     * shape {@code (N, K, D)}.
     */
    public static NDArray read(NDArray memory, NDArray r) {
        return r.batchMatMul(memory);
    }
}
