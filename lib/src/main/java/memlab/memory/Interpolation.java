package memlab.memory;

import ai.djl.ndarray.NDArray;

/**
 * The NTM's interpolation gate (Graves, Wayne, Danihelka 2014, eq. 7): how much of the content
 * weighting replaces the head's previous weighting,
 * <pre>  w^g_t = g_t w^c_t + (1 − g_t) w_{t−1},   g_t ∈ (0, 1)</pre>
 * g = 1 addresses by content alone; g = 0 keeps the previous location (to be shifted from there).
 */
public final class Interpolation {
    private Interpolation() {}

    /**
     * @param content  content weighting {@code w^c} {@code (N, K, S)}
     * @param previous previous weighting {@code w_{t−1}} {@code (N, K, S)}
     * @param gate     {@code g} {@code (N, K)} or {@code (N, K, 1)}
     * @return {@code (N, K, S)}
     */
    public static NDArray apply(NDArray content, NDArray previous, NDArray gate) {
        // w_{t−1} + g (w^c − w_{t−1}): the same convex combination in three operations, the last in
        // place into the fresh product (mul's backward keeps its inputs, not its output: one array fewer)
        return content.sub(previous).mul(Addressing.perRow(gate)).addi(previous);
    }
}
