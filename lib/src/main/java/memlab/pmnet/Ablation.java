package memlab.pmnet;

import java.util.Arrays;
import java.util.Locale;

/**
 * The switches of the paper's ablation, each one change to the same {@link PhasorMemory}.
 */
public enum Ablation {
    /** The full model: anchors, rotation, tree. */
    NONE,
    /** No anchors: every slot starts at phase 0, so the slots of a group are indistinguishable. */
    ZERO_ANCHORS,
    /**
     * The unitary constraint removed: an additive state squashed by a tanh,
     * {@code s ← tanh(s + w ⊗ θ)}, instead of the rotation {@code s ← (s + w ⊗ θ) mod 2π}.
     */
    UNCONSTRAINED,
    /** The tree flattened to one level: one group holding all the tree's slots. */
    FLAT;

    /** The switch called {@code name} (case-insensitive, {@code -} or {@code _}); the error lists the names. */
    public static Ablation parse(String name) {
        if (name != null) {
            String n = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            for (Ablation a : values()) if (a.name().equals(n)) return a;
        }
        throw new IllegalArgumentException("ablation must be one of " + Arrays.toString(values()).replaceAll("[\\[\\]]", "").toLowerCase(Locale.ROOT).replace('_', '-')
                + ", got " + (name == null ? "null" : "'" + name + "'"));
    }

    /** The name as figures and tables print it, e.g. {@code zero-anchors}. */
    public String label() { return name().toLowerCase(Locale.ROOT).replace('_', '-'); }
}
