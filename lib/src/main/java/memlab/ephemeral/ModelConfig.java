package memlab.ephemeral;

import memlab.core.Check;

/**
 * What all runs of one batched {@link EphemeralNet} share: sizes, recurrence, updater, reset,
 * decay target and hidden activation. Per-run numbers are in {@link RunConfig}.
 *
 * @param hidden         hidden units (paper 256)
 * @param batch          sequences processed side by side per step, each with its own ephemeral weights (§3.6.3)
 * @param recurrence     whether {@code W_hh h_{t-1}} is in the hidden layer (baseline RNN: true;
 *                       ephemeral model, Eq. 3: false)
 * @param updater        how updates are computed and when applied
 * @param resetEachSequence set the ephemeral weights to their reset value at every sequence start
 *                       (the "periodic memory reset", §4.4.3)
 * @param decayTarget    what γ decays; see {@link DecayTarget}
 * @param activation     the hidden nonlinearity: ReLU as the text (default) or GELU as the authors' code
 */
public record ModelConfig(int hidden, int batch, boolean recurrence, Updater updater, boolean resetEachSequence,
                          DecayTarget decayTarget, HiddenActivation activation) {
    public ModelConfig {
        Check.positive("hidden", hidden);
        Check.positive("batch", batch);
        if (updater == null) throw new IllegalArgumentException("updater must be one of " + java.util.Arrays.toString(Updater.values()) + ", got null");
        if (decayTarget == null) throw new IllegalArgumentException("decayTarget must be one of " + java.util.Arrays.toString(DecayTarget.values()) + ", got null");
        if (activation == null) throw new IllegalArgumentException("activation must be one of " + java.util.Arrays.toString(HiddenActivation.values()) + ", got null");
    }

    /** With the paper's text's activation, {@link HiddenActivation#RELU}. */
    public ModelConfig(int hidden, int batch, boolean recurrence, Updater updater, boolean resetEachSequence, DecayTarget decayTarget) {
        this(hidden, batch, recurrence, updater, resetEachSequence, decayTarget, HiddenActivation.RELU);
    }

    /**
     * The text that identifies these settings in a checkpoint's fingerprint: the record's text, except
     * that the switch added later ({@code activation}) appears only when it differs from the text's, so that checkpoints written before they existed still resume.
     */
    String fingerprint() {
        String old = "ModelConfig[hidden=" + hidden + ", batch=" + batch + ", recurrence=" + recurrence + ", updater=" + updater
                + ", resetEachSequence=" + resetEachSequence + ", decayTarget=" + decayTarget;
        if (activation != HiddenActivation.RELU) old += ", activation=" + activation;
        return old + "]";
    }

    /** The ephemeral model of Eq. 3–4: no recurrence, DFA, reset at sequence start, decay of the value. */
    public static ModelConfig ephemeral(int hidden, int batch) {
        return new ModelConfig(hidden, batch, false, Updater.DFA, true, DecayTarget.VALUE);
    }

    /** The baseline RNN of Eq. 1–2 trained with BPTT. Its runs use {@link RunConfig#baseline}. */
    public static ModelConfig rnn(int hidden, int batch) {
        return new ModelConfig(hidden, batch, true, Updater.BPTT, true, DecayTarget.VALUE);
    }

    public ModelConfig withUpdater(Updater u) { return new ModelConfig(hidden, batch, recurrence, u, resetEachSequence, decayTarget, activation); }

    public ModelConfig withRecurrence(boolean r) { return new ModelConfig(hidden, batch, r, updater, resetEachSequence, decayTarget, activation); }

    public ModelConfig withReset(boolean r) { return new ModelConfig(hidden, batch, recurrence, updater, r, decayTarget, activation); }

    public ModelConfig withDecayTarget(DecayTarget d) { return new ModelConfig(hidden, batch, recurrence, updater, resetEachSequence, d, activation); }

    public ModelConfig withBatch(int b) { return new ModelConfig(hidden, b, recurrence, updater, resetEachSequence, decayTarget, activation); }

    public ModelConfig withHidden(int h) { return new ModelConfig(h, batch, recurrence, updater, resetEachSequence, decayTarget, activation); }

    public ModelConfig withActivation(HiddenActivation f) { return new ModelConfig(hidden, batch, recurrence, updater, resetEachSequence, decayTarget, f); }

    /** {@link #withActivation(HiddenActivation)} by name ({@link HiddenActivation#named}: {@code relu}, {@code gelu}). */
    public ModelConfig withActivation(String name) { return withActivation(HiddenActivation.named(name)); }
}
