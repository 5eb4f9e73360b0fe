package memlab.attention;

import ai.djl.ndarray.NDArray;
import memlab.nn.Linear;
import memlab.train.ParamSet;

import java.util.Map;

/**
 * The alignment model of Bahdanau, Cho and Bengio (2015, "Neural Machine Translation by Jointly Learning
 * to Align and Translate"): additive attention, a one-hidden-layer network scoring each encoder state
 * {@code h_j} against the decoder's previous state {@code s_{t−1}}:
 * <pre>
 *   e_tj = vᵀ tanh(W s_{t−1} + U h_j + b),     α_t = softmax_j(e_t)
 * </pre>
 * {@code U h_j} does not depend on {@code t} and is computed once per source ({@link #keys}).
 * Parameters {@code align.query} (W, b), {@code align.key} (U; its bias only adds to b) and
 * {@code align.score} (v; its bias cancels in the softmax and gets no gradient).
 */
public final class AdditiveAlignment {
    private final int size;

    AdditiveAlignment(ParamSet params, int hidden, int size, long[] seeds) {
        this.size = memlab.core.Check.positive("alignment size", size);
        new Linear(params, "align.query", hidden, size, seeds);
        new Linear(params, "align.key", hidden, size, seeds);
        new Linear(params, "align.score", size, 1, seeds);
    }

    /** {@code U h_j} for encoder states {@code (R, B, L, H)}; returns {@code (R, B, L, A)}. */
    NDArray keys(Map<String, NDArray> w, NDArray encoderStates) {
        long[] s = encoderStates.getShape().getShape();
        return encoderStates.reshape(s[0], s[1] * s[2], s[3]).batchMatMul(w.get("align.key.weight")).add(w.get("align.key.bias"))
                .reshape(s[0], s[1], s[2], size);
    }

    /** The scores {@code e_t} {@code (R, B, L)} for the decoder state {@code (R, B, H)} and the {@link #keys}. */
    NDArray scores(Map<String, NDArray> w, NDArray decoderState, NDArray keys) {
        long[] s = keys.getShape().getShape();
        NDArray query = decoderState.batchMatMul(w.get("align.query.weight")).add(w.get("align.query.bias")).expandDims(2);
        return keys.add(query).tanh().reshape(s[0], s[1] * s[2], size)
                .batchMatMul(w.get("align.score.weight")).add(w.get("align.score.bias")).reshape(s[0], s[1], s[2]);
    }
}
