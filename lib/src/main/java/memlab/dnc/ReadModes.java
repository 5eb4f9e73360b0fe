package memlab.dnc;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;

import java.util.Arrays;

/**
 * The DNC's read weighting (Graves et al. 2016, Methods, "Read weighting"): each read head mixes its
 * three candidate weightings with its read modes {@code π_t^i} (a softmax over 3, in {@link ReadMode}'s order),
 * <pre>
 *   w_t^{r,i} = π_t^i[1] b_t^i + π_t^i[2] c_t^{r,i} + π_t^i[3] f_t^i
 * </pre>
 * backward {@code b} and forward {@code f} from the {@link LinkMatrix}, content {@code c^r} from the
 * cosine lookup in the memory just written.
 */
public final class ReadModes {
    private ReadModes() {}

    /**
     * @param modes    {@code π_t} {@code (N, H, 3)}, each row on the simplex
     * @param backward {@code b_t} {@code (N, H, S)}
     * @param content  {@code c_t^r} {@code (N, H, S)}
     * @param forward  {@code f_t} {@code (N, H, S)}
     * @return {@code w_t^r} {@code (N, H, S)}
     */
    public static NDArray mix(NDArray modes, NDArray backward, NDArray content, NDArray forward) {
        long[] s = modes.getShape().getShape();
        if (s.length != 3 || s[2] != ReadMode.values().length)
            throw new IllegalArgumentException("readModes must have shape (N, H, 3), one weight per mode " + Arrays.toString(ReadMode.values()) + ", got " + modes.getShape());
        // Σ_k π[k] · candidate_k as one product and one sum over a stacked axis: 4 operations, not a split and 5
        return NDArrays.stack(new NDList(backward, content, forward), 2).mul(modes.expandDims(3)).sum(new int[]{2});
    }
}
