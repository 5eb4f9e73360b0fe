package memlab.mixers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Activation;
import memlab.train.ParamSet;

import java.util.ArrayList;
import java.util.List;

/**
 * Causal linear attention (Katharopoulos et al., "Transformers are RNNs", 2020): softmax's
 * {@code exp(q·k)} replaced by {@code φ(q)·φ(k)} with the positive feature map
 * {@code φ(x) = elu(x) + 1}, normalised as in that paper. Per head ({@code d = D / H}):
 * <pre>
 *   S_t = S_{t−1} + φ(k_t) v_tᵀ          (d × d)
 *   z_t = z_{t−1} + φ(k_t)               (d)
 *   o_t = S_tᵀ φ(q_t) / (z_tᵀ φ(q_t))
 * </pre>
 * State size: the matrix {@code S} and the normaliser {@code z} of every head,
 * {@code H · (d² + d)} numbers per sequence, whatever the context length.
 *
 * <p>{@link Form#FAST} is the parallel form: {@code A = (φ(Q) φ(K)ᵀ) ⊙ M} with the causal mask
 * {@code M}, {@code O = A V / (A 1)} — the same sums, taken over {@code j ≤ t} at once.
 */
public final class LinearAttention extends HeadedMixer {
    public LinearAttention(ParamSet params, String name, int width, int heads, long[] seeds) {
        super(params, name, width, heads, seeds);
    }

    @Override
    public long stateSize(int contextLength) {
        return (long) heads * ((long) headDim * headDim + headDim);
    }

    @Override
    NDArray mix(NDArray q, NDArray k, NDArray v, NDArray x2, Shape4 s, Form form) {
        NDArray fq = featureMap(q), fk = featureMap(k);
        return form == Form.FAST ? parallel(fq, fk, v) : recurrent(fq, fk, v);
    }

    /** φ(x) = elu(x) + 1 &gt; 0. */
    static NDArray featureMap(NDArray x) {
        return Activation.elu(x, 1f).add(1);
    }

    /** The parallel form over feature-mapped {@code fq, fk} and values, all {@code (N, T, d)}. */
    static NDArray parallel(NDArray fq, NDArray fk, NDArray v) {
        int len = (int) fq.getShape().get(1);
        NDArray a = fq.batchMatMul(fk.transpose(0, 2, 1)).mul(Masks.band(fq.getManager(), len, 0, len));
        return a.batchMatMul(v).div(a.sum(new int[]{2}, true));
    }

    /** The definition: S and z accumulated one position at a time. */
    static NDArray recurrent(NDArray fq, NDArray fk, NDArray v) {
        long n = fq.getShape().get(0), len = fq.getShape().get(1), d = fq.getShape().get(2), dv = v.getShape().get(2);
        NDArray state = fq.getManager().zeros(new ai.djl.ndarray.types.Shape(n, d, dv));
        NDArray norm = fq.getManager().zeros(new ai.djl.ndarray.types.Shape(n, 1, d));
        List<NDArray> outs = new ArrayList<>();
        for (int t = 0; t < len; t++) {
            NDIndex at = new NDIndex(":, {}:{}, :", t, t + 1);
            NDArray kt = fk.get(at), qt = fq.get(at);
            state = state.add(kt.transpose(0, 2, 1).batchMatMul(v.get(at)));   // S += φ(k) vᵀ
            norm = norm.add(kt);                                                // z += φ(k)
            outs.add(qt.batchMatMul(state).div(qt.mul(norm).sum(new int[]{2}, true)));
        }
        return TimeConcat.of(outs);
    }
}
