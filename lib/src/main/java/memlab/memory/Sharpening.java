package memlab.memory;

import ai.djl.ndarray.NDArray;
import memlab.core.Scalars;

/**
 * The NTM's sharpening (Graves, Wayne, Danihelka 2014, eq. 9): undoes the blur of the shift,
 * <pre>  w_t(i) = w̃_t(i)^{γ_t} / Σ_j w̃_t(j)^{γ_t},   γ_t ≥ 1</pre>
 * γ = 1 leaves the weighting as it is; large γ approaches one-hot at the largest entry.
 */
public final class Sharpening {
    private Sharpening() {}

    /** Requires {@code γ >= 1} (γ < 1 would blur instead of sharpen); returns it. */
    public static double checkGamma(double gamma) {
        if (!(gamma >= 1) || Double.isInfinite(gamma))
            throw new IllegalArgumentException("gamma must be a finite number >= 1 (sharpening), got " + gamma);
        return gamma;
    }

    /** As {@link #apply(NDArray, NDArray)} with one γ for every row, checked {@code >= 1}. */
    public static NDArray apply(NDArray w, double gamma) {
        checkGamma(gamma);
        NDArray p = w.pow(Scalars.of(gamma, w));
        return p.div(p.sum(new int[]{2}, true));
    }

    /**
     * @param w     shifted weighting {@code w̃} {@code (N, K, S)}, non-negative
     * @param gamma {@code γ} {@code (N, K)} or {@code (N, K, 1)}, each {@code >= 1} (the caller's activation ensures it)
     * @return {@code (N, K, S)}, each row summing to 1
     */
    public static NDArray apply(NDArray w, NDArray gamma) {
        NDArray p = w.pow(Addressing.perRow(gamma));
        return p.div(p.sum(new int[]{2}, true));
    }
}
