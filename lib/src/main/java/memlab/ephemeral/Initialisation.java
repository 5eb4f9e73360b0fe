package memlab.ephemeral;

import java.util.Locale;

/**
 * How the weights of the character model start, one of the differences between the paper's text
 * and its authors' public code (GitHub {@code jaded0/memory_encoding}, read for facts only). The
 * text states no initialisation.
 */
public enum Initialisation {
    /**
     * Default, what the model has always used: every entry of {@code W_xh, b_h, W_hh, W_hy, b_y}
     * drawn from {@code U(−1/√in, 1/√in)} (PyTorch's {@code nn.Linear} default, {@code in} = the
     * layer's fan-in), from the run's own seed.
     */
    UNIFORM,
    /**
     * The authors' code: the weight matrices start at exactly 0 — {@code W_xh}, {@code W_hh} (with
     * recurrence) and {@code W_hy} — as the per-sequence matrices its forward pass multiplies by are
     * created as zeros; the biases {@code b_h, b_y} start as in {@link #UNIFORM} (the code keeps
     * {@code nn.Linear}'s default bias), with the same draws. Every hidden unit therefore starts at
     * {@code f(b_h)} whatever the character; DFA still moves {@code W_xh} off 0 because its feedback
     * matrix is random, not {@code W_hy}.
     */
    ZERO_WEIGHTS;

    /** The name used in tables and by {@link #named}: {@code uniform} or {@code zero_weights}. */
    public String label() { return name().toLowerCase(Locale.ROOT); }

    /**
     * The initialisation called {@code name} (case-insensitive: {@code uniform}, {@code zero_weights}).
     *
     * @throws IllegalArgumentException naming the argument and the allowed values
     */
    public static Initialisation named(String name) {
        return memlab.core.Check.named("init", name, values(), Initialisation::label);
    }
}
