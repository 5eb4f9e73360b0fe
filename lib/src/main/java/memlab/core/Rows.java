package memlab.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.SparseFormat;

/**
 * Rows of a matrix picked by index, {@code out[i] = table[rows[i]]}, as an embedding lookup.
 *
 * <p>The same values as indexing ({@code table.get(new NDIndex("{}", rows))}), but the backward pass
 * adds each row's gradient into the table directly, where indexing's backward sorts the indices to
 * accumulate: measured in the memory network's word lookups (batch 32, one step 1.71 → 1.23 × PyTorch's).
 */
public final class Rows {
    private Rows() {}

    /**
     * @param table a matrix {@code (N, D)}
     * @param rows  integer indices in {@code [0, N)}, any shape {@code S}
     * @return {@code (S..., D)}
     */
    public static NDArray of(NDArray table, NDArray rows) {
        return table.getNDArrayInternal().embedding(rows, table, SparseFormat.DENSE).singletonOrThrow();
    }
}
