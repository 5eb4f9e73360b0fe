package memlab.dnc;

import java.util.Locale;

/**
 * The three ways a DNC read head can address memory, in the order of the paper's read-mode vector
 * {@code π_t^i} (Graves et al. 2016, Methods, "Read weighting"): follow the temporal links backward,
 * look up by content, or follow the links forward.
 */
public enum ReadMode {
    BACKWARD, CONTENT, FORWARD;

    /** Parses {@code backward}, {@code content} or {@code forward} (any case). */
    public static ReadMode parse(String name) {
        return memlab.core.Check.named("readMode", name, values(), ReadMode::label);
    }

    /** Lower-case name, as parsed. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
