package memlab.ephemeral;

/**
 * How the weight change of a character is computed and when it is applied (paper §3.6.1–3.6.2,
 * Table 1). With input {@code u_t} (one-hot character, bias 1, and {@code h_{t-1}} with
 * recurrence), pre-activation {@code a_t}, hidden {@code h_t = f(a_t)} (ReLU as the text, whose
 * derivative {@code f'(a_t) = 1[a_t > 0]} is written below; GELU as the authors' code, see
 * {@link HiddenActivation}), logits {@code z_t} and
 * the output error {@code e_t = ∂L_t/∂z_t = softmax(z_t) − onehot(target)}, each updater defines the
 * hidden error {@code δ_t}; the hidden-layer gradient is {@code u_t ⊗ δ_t} and the output layer's
 * is {@code [h_t; 1] ⊗ e_t}.
 */
public enum Updater {
    /**
     * Backpropagation of the character's own loss, after every character:
     * {@code δ_t = (W_hy e_t) ⊙ 1[a_t > 0]}; {@code h_{t-1}} is treated as an input (no gradient
     * through time).
     */
    BACKPROP,
    /**
     * Direct feedback alignment, after every character: {@code δ_t = (B e_t) ⊙ 1[a_t > 0]} with a
     * fixed random feedback matrix {@code B} (see {@link FeedbackMatrix}) in place of the output
     * weights; the output layer gets {@code e_t} itself.
     */
    DFA,
    /**
     * Backpropagation through time of the whole sequence's loss, applied once at the sequence end:
     * {@code δ_t = (W_hy e_t + W_hh δ_{t+1}) ⊙ 1[a_t > 0]}, weights fixed during the sequence (so no
     * within-sequence adaptation of the ephemeral weights).
     */
    BPTT;

    /** Whether updates are applied after every character (false: at the sequence end). */
    public boolean perCharacter() { return this != BPTT; }
}
