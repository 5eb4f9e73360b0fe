package memlab.memory;

import ai.djl.ndarray.NDArray;
import memlab.core.Scalars;

/**
 * The two memory operations shared by the memory models: erase-then-add write and weighted read.
 * Shapes: memory {@code M} is {@code (N, S, D)}; weights are over the S slots.
 */
public final class Memory {
    private Memory() {}

    /**
     * Erase-then-add write with one weighting {@code w} {@code (N, S)} and value {@code v} {@code (N, D)}:
     * <pre>  M' = M ⊙ (1 − w 1ᵀ) + w vᵀ</pre>
     * i.e. {@link #write(NDArray, NDArray, NDArray, NDArray)} with one head and erase vector
     * {@code e = 1} (a written slot is replaced, as in the EGL paper), in fewer operations.
     */
    public static NDArray write(NDArray memory, NDArray w, NDArray v) {
        NDArray wc = w.expandDims(2);                    // (N, S, 1)
        return memory.sub(memory.mul(wc)).add(wc.mul(v.expandDims(1)));
    }

    /**
     * The NTM's erase-then-add write (Graves, Wayne, Danihelka 2014, eq. 3–4) with H write heads,
     * weightings {@code w_h} {@code (N, H, S)}, erase vectors {@code e_h ∈ [0, 1]^D} and add vectors
     * {@code a_h}, both {@code (N, H, D)}:
     * <pre>
     *   M̃  = M ⊙ Π_h (1 − w_h e_hᵀ)          (erase: all heads, before any add)
     *   M' = M̃ + Σ_h w_h a_hᵀ                 (add)
     * </pre>
     * With one head the product is a single factor. The order of heads does not matter.
     */
    public static NDArray write(NDArray memory, NDArray w, NDArray erase, NDArray add) {
        NDArray wT = w.transpose(0, 2, 1);                                   // (N, S, H)
        NDArray keep;
        if (w.getShape().get(1) == 1) keep = Scalars.minus(1, wT.batchMatMul(erase));                // 1 − w eᵀ, (N, S, D)
        else keep = Scalars.minus(1, w.expandDims(3).mul(erase.expandDims(2))).prod(new int[]{1}); // Π_h (1 − w_h e_hᵀ)
        return memory.mul(keep).add(wT.batchMatMul(add));                     // + Σ_h w_h a_hᵀ
    }

    /**
     * The erase-then-add write of one head, {@code M' = M ⊙ (1 − w eᵀ) + w vᵀ} as
     * {@link #write(NDArray, NDArray, NDArray, NDArray)} with H = 1, written as the same sum
     * {@code M + w ⊙ (v − e ⊙ M)}: four elementwise operations instead of two matrix products, a
     * transpose and four elementwise.
     *
     * @param memory {@code M} {@code (N, S, D)}
     * @param column the weighting {@code w} as a column {@code (N, S, 1)}
     * @param erase  {@code e ∈ [0, 1]^D} {@code (N, 1, D)}
     * @param add    {@code v} {@code (N, 1, D)}
     */
    public static NDArray writeOne(NDArray memory, NDArray column, NDArray erase, NDArray add) {
        return column.mul(add.sub(erase.mul(memory))).addi(memory);       // in place into a fresh product: one array fewer
    }

    /**
     * Reads with weightings {@code r} {@code (N, K, S)}: {@code o[n, k] = Σ_j r[n, k, j] M[n, j]}
     * (the NTM's eq. 2 for K read heads), shape {@code (N, K, D)}.
     */
    public static NDArray read(NDArray memory, NDArray r) {
        return r.batchMatMul(memory);
    }
}
