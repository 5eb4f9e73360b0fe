package memlab.ephemeral;

import ai.djl.ndarray.NDArray;

import java.util.Locale;

/**
 * The nonlinearity {@code f} of the hidden layer, {@code h_t = f(a_t)}, and its derivative
 * {@code f'(a_t)}, which every updater multiplies into the hidden error ({@code δ_t = (…) ⊙ f'(a_t)},
 * see {@link Updater}). The paper's text writes ReLU (Eq. 1, 3); its authors' public code (GitHub
 * {@code jaded0/memory_encoding}, read for facts only) applies GELU after each trunk layer.
 */
public enum HiddenActivation {
    /** Default, the text: {@code f(a) = max(0, a)}, {@code f'(a) = 1[a > 0]}. */
    RELU {
        @Override
        public Applied apply(NDArray a) {
            NDArray h = ai.djl.nn.Activation.relu(a);
            return new Applied(h, h.sign());   // h ≥ 0: sign(h) = 1[a > 0]
        }
    },
    /**
     * The authors' code: the exact (erf) GELU, PyTorch's {@code F.gelu} default,
     * {@code f(a) = a Φ(a)} with {@code Φ(a) = ½(1 + erf(a/√2))} the standard normal CDF, and
     * {@code f'(a) = Φ(a) + a φ(a)}, {@code φ(a) = exp(−a²/2)/√(2π)}. (The code's DFA leaves the
     * derivative out; here every updater keeps it, as the text's DFA, so that only the activation
     * differs.)
     */
    GELU {
        @Override
        public Applied apply(NDArray a) {
            NDArray cdf = a.mul(INV_SQRT2).erf().add(1f).mul(0.5f);
            NDArray pdf = a.square().mul(-0.5f).exp().mul(INV_SQRT_2PI);
            return new Applied(a.mul(cdf), cdf.add(a.mul(pdf)));
        }
    };

    private static final float INV_SQRT2 = (float) (1 / Math.sqrt(2));
    private static final float INV_SQRT_2PI = (float) (1 / Math.sqrt(2 * Math.PI));

    /** {@code h = f(a)} and {@code f'(a)}, same shape as {@code a}. */
    public record Applied(NDArray h, NDArray derivative) {}

    /** {@code f(a)} and {@code f'(a)} elementwise. */
    public abstract Applied apply(NDArray a);

    /** The name used in tables and by {@link #named}: {@code relu} or {@code gelu}. */
    public String label() { return name().toLowerCase(Locale.ROOT); }

    /**
     * The activation called {@code name} (case-insensitive: {@code relu}, {@code gelu}).
     *
     * @throws IllegalArgumentException naming the argument and the allowed values
     */
    public static HiddenActivation named(String name) {
        return memlab.core.Check.named("activation", name, values(), HiddenActivation::label);
    }
}
