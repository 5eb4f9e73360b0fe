package memlab.ntm;

import java.util.Locale;

/**
 * How the memory starts each sequence (the three schemes compared by Collier and Beel, "Implementing
 * Neural Turing Machines", ICANN 2018).
 * <ul>
 *   <li>{@link #CONSTANT}: every entry {@value #CONSTANT_VALUE} (their recommendation: converges fastest);</li>
 *   <li>{@link #RANDOM}: entries drawn once per run from U(−σ, σ), σ = 1/√(S + D), fixed;</li>
 *   <li>{@link #LEARNED}: a trained parameter {@code (S, D)}, starting from the same draw as RANDOM.</li>
 * </ul>
 */
public enum MemoryInit {
    CONSTANT, RANDOM, LEARNED;

    /** The value of every entry under {@link #CONSTANT}. */
    public static final double CONSTANT_VALUE = 1e-6;

    /** Parses {@code constant}, {@code random} or {@code learned} (any case). */
    public static MemoryInit parse(String name) {
        return memlab.core.Check.named("memoryInit", name, values(), MemoryInit::label);
    }

    /** Lower-case name, as parsed. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
