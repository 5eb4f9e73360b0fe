package memlab.mixers;

import ai.djl.ndarray.NDArray;

import java.util.List;

/**
 * A sequence mixer: the layer of a sequence model that moves information along time.
 *
 * <p>Input and output have shape {@code (R, B, T, D)}: {@code R} runs (as everywhere in memlab, see
 * {@link memlab.train.ParamSet}), {@code B} sequences, {@code T} positions, width {@code D}. Output
 * {@code t} depends only on inputs {@code 0..t} (causal).
 *
 * <p>A recurrent mixer has two forms of the same maths: its definition as a step-by-step recurrence
 * over {@code t} (the reference a reader learns from) and a fast form for training (parallel or
 * chunk-wise). They agree to float rounding; tests hold the fast form to the recurrence.
 */
public interface Mixer {
    /** Which form of the maths to evaluate. */
    enum Form {
        /** The definition, one time step after the other. */
        RECURRENT,
        /** The form used for training (parallel over time, or chunk-wise). */
        FAST
    }

    /** The mixer applied to {@code x} of shape {@code (R, B, T, D)}, in the given form; same shape out. */
    NDArray forward(NDArray x, Form form);

    /** The fast form. */
    default NDArray forward(NDArray x) {
        return forward(x, Form.FAST);
    }

    /**
     * The mixer's state in numbers for one sequence after {@code contextLength} positions: what it
     * must keep to produce the next output (the x axis of the recall-vs-state figures of Arora et
     * al., Zoology, 2024). Each implementation states its formula.
     */
    long stateSize(int contextLength);

    /** The names of this mixer's parameters in its {@link memlab.train.ParamSet}. */
    List<String> parameterNames();

    /** Model width {@code D}. */
    int width();

    /** Number of heads {@code H}; each head has {@code D / H} channels. */
    int heads();
}
