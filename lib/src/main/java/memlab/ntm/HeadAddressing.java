package memlab.ntm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import memlab.memory.Addressing;
import memlab.memory.CircularShift;
import memlab.memory.Interpolation;
import memlab.memory.Sharpening;
import memlab.core.Scalars;

/**
 * The NTM's addressing of H heads at once (Graves, Wayne, Danihelka 2014, section 3.3, fig. 2):
 * from each head's raw parameters, in the column order key (D), β, g, shift (2k+1), γ,
 * <pre>
 *   β = softplus(β̂) > 0,   g = σ(ĝ),   s = softmax(ŝ),   γ = 1 + softplus(γ̂) ≥ 1
 *   w^c = softmax_S(β K(k, M_{t−1}))              content       ({@link Addressing#cosine})
 *   w^g = g w^c + (1 − g) w_{t−1}                 interpolation ({@link Interpolation})
 *   w̃   = w^g ⊛ s                                 shift         ({@link CircularShift})
 *   w_t = w̃^γ / Σ w̃^γ                             sharpening    ({@link Sharpening})
 * </pre>
 * The key is used as emitted (no squashing), as in most open implementations. With
 * {@link NtmConfig#contentOnly} the head stops after the first line, {@code w_t = w^c}.
 */
final class HeadAddressing {
    private final CircularShift shift;
    private final long[] splits;
    private final boolean contentOnly;

    HeadAddressing(NtmConfig c) {
        contentOnly = c.contentOnly();
        shift = new CircularShift(c.shiftRange(), c.slots());
        int d = c.width();
        splits = new long[]{d, d + 1, d + 2, d + 2 + shift.size()};
    }

    /**
     * @param raw      raw parameters {@code (N, H, D + 2k + 4)}
     * @param memory   {@code M_{t−1}} {@code (N, S, D)}
     * @param previous {@code w_{t−1}} {@code (N, H, S)}
     * @return {@code w_t} {@code (N, H, S)}
     */
    NDArray weights(NDArray raw, NDArray memory, NDArray previous) {
        NDList p = raw.split(splits, 2);
        NDArray key = p.get(0);
        NDArray beta = Activation.softPlus(p.get(1));               // (N, H, 1): broadcast over slots as is
        NDArray gate = Activation.sigmoid(p.get(2));
        NDArray s = p.get(3).softmax(2);
        NDArray gamma = Scalars.addi(Activation.softPlus(p.get(4)), 1);     // in place: softplus's gradient needs only its input
        NDArray content = Addressing.cosine(memory, key, beta);
        if (contentOnly) return content;
        NDArray gated = Interpolation.apply(content, previous, gate);
        return Sharpening.apply(shift.apply(gated, s), gamma);
    }
}
