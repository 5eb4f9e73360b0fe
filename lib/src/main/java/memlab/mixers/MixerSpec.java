package memlab.mixers;

import memlab.core.Check;
import memlab.train.ParamSet;

/**
 * Which mixer a layer of a {@link SequenceModel} uses: its kind, head count and (sliding window)
 * window. A hybrid is a list of these, e.g. {@code List.of(MixerSpec.attention(4), MixerSpec.deltaNet(4))}.
 */
public record MixerSpec(Kind kind, int heads, int window) {
    /** The mixer families. */
    public enum Kind { ATTENTION, SLIDING_WINDOW, LINEAR_ATTENTION, DELTA_NET, GATED_DELTA_NET }

    public MixerSpec {
        Check.positive("heads", heads);
        Check.positive("window", window);
    }

    /** Full causal softmax attention. */
    public static MixerSpec attention(int heads) { return new MixerSpec(Kind.ATTENTION, heads, SoftmaxAttention.FULL); }

    /** Softmax attention over the last {@code window} positions ({@code window >= 1}). */
    public static MixerSpec slidingWindow(int heads, int window) { return new MixerSpec(Kind.SLIDING_WINDOW, heads, window); }

    public static MixerSpec linearAttention(int heads) { return new MixerSpec(Kind.LINEAR_ATTENTION, heads, SoftmaxAttention.FULL); }

    public static MixerSpec deltaNet(int heads) { return new MixerSpec(Kind.DELTA_NET, heads, SoftmaxAttention.FULL); }

    public static MixerSpec gatedDeltaNet(int heads) { return new MixerSpec(Kind.GATED_DELTA_NET, heads, SoftmaxAttention.FULL); }

    /** Builds the mixer, its parameters named {@code name.*} in {@code params}. */
    public Mixer create(ParamSet params, String name, int width, long[] seeds) {
        return switch (kind) {
            case ATTENTION -> new SoftmaxAttention(params, name, width, heads, SoftmaxAttention.FULL, seeds);
            case SLIDING_WINDOW -> new SoftmaxAttention(params, name, width, heads, window, seeds);
            case LINEAR_ATTENTION -> new LinearAttention(params, name, width, heads, seeds);
            case DELTA_NET -> new DeltaNet(params, name, width, heads, seeds);
            case GATED_DELTA_NET -> new GatedDeltaNet(params, name, width, heads, seeds);
        };
    }

    /** A short label for tables and legends, e.g. {@code "window 16"}, {@code "deltanet"}. */
    @Override
    public String toString() {
        return switch (kind) {
            case ATTENTION -> "attention";
            case SLIDING_WINDOW -> "window " + window;
            case LINEAR_ATTENTION -> "linear attention";
            case DELTA_NET -> "deltanet";
            case GATED_DELTA_NET -> "gated deltanet";
        };
    }
}
