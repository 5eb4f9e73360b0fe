package memlab.mixers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;

import java.util.List;

/**
 * Per-position (or per-chunk) outputs joined along time (axis 1), keeping the autograd graph.
 *
 * <p>Why not {@code NDArrays.concat} alone: given a single array it returns {@code duplicate()},
 * which on the PyTorch engine is a <em>detached</em> copy, so nothing before it gets a gradient.
 * A sequence that fits in one chunk of {@link DeltaRule#chunked} (every MQAR task with
 * {@code T ≤ 64}) then trained DeltaNet's output projection only: its queries, keys, values,
 * β and short convolution got exactly zero gradient.
 */
final class TimeConcat {
    private TimeConcat() {}

    /** {@code parts} (each {@code (N, t_i, ...)}) concatenated along axis 1; one part is returned as is. */
    static NDArray of(List<NDArray> parts) {
        if (parts.isEmpty()) throw new IllegalArgumentException("parts must not be empty");
        return parts.size() == 1 ? parts.get(0) : NDArrays.concat(new NDList(parts), 1);
    }
}
