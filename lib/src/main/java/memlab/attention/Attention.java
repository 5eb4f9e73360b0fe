package memlab.attention;

import java.util.Locale;

/**
 * How the decoder of a {@link Seq2Seq} sees the source.
 * <ul>
 *   <li>{@link #NONE}: the fixed-vector baseline, {@code c_t = h_L} (the encoder's last state) at every step;</li>
 *   <li>{@link #SOFT}: the expected encoder state under the attention distribution, {@code c_t = Σ_j α_tj h_j};</li>
 *   <li>{@link #HARD}: one encoder state sampled from it, {@code c_t = h_{j_t}}, {@code j_t ~ α_t}, trained with
 *       {@link Reinforce}; at evaluation the most probable position.</li>
 * </ul>
 */
public enum Attention {
    NONE, SOFT, HARD;

    /** Parses {@code none}, {@code soft} or {@code hard} (any case). */
    public static Attention parse(String name) {
        return memlab.core.Check.named("attention", name, values(), a -> a.name().toLowerCase(Locale.ROOT));
    }
}
