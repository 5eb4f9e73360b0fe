package memlab.ephemeral;

import memlab.core.Check;
import memlab.core.Seeds;

/**
 * The fixed random feedback matrix of direct feedback alignment (paper §3.6.1: "feedback weights
 * are randomly initialized for each layer and remain fixed throughout training").
 *
 * <p>{@code B} has shape {@code (V, H)} (output error → hidden) with entries from
 * U(−1/√V, 1/√V), drawn from the run's stream {@code (seed, "feedback")}; the DFA hidden error is
 * {@code δ = (e B) ⊙ 1[a > 0]} for the output error row vector {@code e}.
 */
public final class FeedbackMatrix {
    private FeedbackMatrix() {}

    /** Row-major {@code (outputs, hidden)} entries of run {@code seed}'s feedback matrix. */
    public static float[] draw(long seed, int outputs, int hidden) {
        Check.positive("outputs", outputs);
        Check.positive("hidden", hidden);
        return Seeds.uniform(Seeds.stream(seed, "feedback"), new float[outputs * hidden], 1 / Math.sqrt(outputs));
    }
}
