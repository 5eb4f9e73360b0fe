package memlab.mixers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import memlab.core.Check;
import memlab.train.ParamSet;

import java.util.ArrayList;
import java.util.List;
import memlab.core.Scalars;

/**
 * Causal multi-head softmax attention (Vaswani et al., 2017), over the whole context or over a
 * sliding window of the last {@code w} positions. Per head, with {@code d = D / H}:
 * <pre>
 *   o_t = Σ_{j ∈ W(t)} softmax_j( q_t·k_j / √d ) v_j,      W(t) = { j : 0 ≤ t − j &lt; w }
 * </pre>
 * {@code w = ∞} is full causal attention; {@code w = 1} attends to the current position only.
 *
 * <p>State size (what must be kept to produce the next output): the keys and values of the
 * context it can still see, {@code 2 · min(w, T) · D} numbers per sequence ({@code 2·T·D} for
 * full attention).
 *
 * <p>{@link Form#FAST}: all scores at once with a band mask; {@link Form#RECURRENT}: position by
 * position over a growing (or sliding) cache of keys and values.
 */
public final class SoftmaxAttention extends HeadedMixer {
    /** The window of full attention: no limit. */
    public static final int FULL = Integer.MAX_VALUE;

    private final int window;

    /**
     * @param window the last {@code window} positions are visible ({@code >= 1}; {@link #FULL} for all)
     */
    public SoftmaxAttention(ParamSet params, String name, int width, int heads, int window, long[] seeds) {
        super(params, name, width, heads, seeds);
        this.window = Check.positive("window", window);
    }

    /** The window {@code w} ({@link #FULL} for full attention). */
    public int window() { return window; }

    @Override
    public long stateSize(int contextLength) {
        return 2L * Math.min(window, contextLength) * width;
    }

    @Override
    NDArray mix(NDArray q, NDArray k, NDArray v, NDArray x2, Shape4 s, Form form) {
        return form == Form.FAST ? attend(q, k, v, window) : attendStepwise(q, k, v, window);
    }

    /** Band-masked attention, all positions at once; {@code q, k, v} of shape {@code (N, T, d)}. */
    static NDArray attend(NDArray q, NDArray k, NDArray v, int window) {
        int len = (int) q.getShape().get(1);
        NDManager m = q.getManager();
        double scale = 1 / Math.sqrt(q.getShape().get(2));
        NDArray visible = Masks.band(m, len, 0, Math.min(window, len));
        NDArray scores = Scalars.mul(q.batchMatMul(k.transpose(0, 2, 1)), scale);
        // hidden scores get −1e9: exp underflows to exactly 0 and the gradient there is 0
        NDArray masked = scores.mul(visible).add(visible.sub(1).mul(1e9f));
        return masked.softmax(2).batchMatMul(v);
    }

    /** The definition: for each t, softmax over the cached keys of the window, then the weighted values. */
    static NDArray attendStepwise(NDArray q, NDArray k, NDArray v, int window) {
        int len = (int) q.getShape().get(1);
        double scale = 1 / Math.sqrt(q.getShape().get(2));
        List<NDArray> outs = new ArrayList<>();
        for (int t = 0; t < len; t++) {
            int first = Math.max(0, t - window + 1);
            NDArray qt = q.get(new NDIndex(":, {}:{}, :", t, t + 1));
            NDArray keys = k.get(new NDIndex(":, {}:{}, :", first, t + 1));
            NDArray values = v.get(new NDIndex(":, {}:{}, :", first, t + 1));
            NDArray weights = Scalars.mul(qt.batchMatMul(keys.transpose(0, 2, 1)), scale).softmax(2);
            outs.add(weights.batchMatMul(values));
        }
        return TimeConcat.of(outs);
    }
}
