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

    /**
     * What every step's scores share: {@code U h_j + b} {@code (R, B, L, A)}, {@code v} as a row
     * {@code (R, 1, 1, A)}, to weight the hidden units of all positions by broadcasting, and the score's
     * bias {@code (R, 1, 1, 1)}.
     */
    record Keys(NDArray keys, NDArray v, NDArray bias) {}

    /** The {@link Keys} of encoder states {@code (R, B, L, H)}. */
    Keys keys(Map<String, NDArray> w, NDArray encoderStates) {
        long[] s = encoderStates.getShape().getShape();
        NDArray keys = encoderStates.reshape(s[0], s[1] * s[2], s[3]).batchMatMul(w.get("align.key.weight")).addi(w.get("align.key.bias"))
                .reshape(s[0], s[1], s[2], size);
        return new Keys(keys, w.get("align.score.weight").reshape(s[0], 1, 1, size), w.get("align.score.bias").reshape(s[0], 1, 1, 1));
    }

    /**
     * The scores {@code e_t} {@code (R, B, L, 1)} for the decoder state {@code (R, B, H)} and the {@link #keys}:
     * {@code vᵀ tanh(·)} as a product with the row {@code v} and a sum over the A hidden units (two
     * operations, no reshapes), kept as a column per sequence so that {@code α_t} broadcasts over the
     * encoder states {@code (R, B, L, H)} as it is; both biases added in place into fresh results (a
     * product's and a sum's backward keep no output).
     */
    NDArray scores(Map<String, NDArray> w, NDArray decoderState, Keys keys) {
        NDArray query = decoderState.batchMatMul(w.get("align.query.weight")).addi(w.get("align.query.bias")).expandDims(2);
        return keys.keys().add(query).tanh().mul(keys.v()).sum(new int[]{3}, true).addi(keys.bias());
    }
}
