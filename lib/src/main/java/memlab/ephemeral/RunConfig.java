package memlab.ephemeral;

import memlab.core.Check;

/**
 * The numbers of one run. Runs that differ only in these train as one batched {@link EphemeralNet}.
 *
 * <p>Update of weight k after a character (Eq. 5, with the base learning rate made explicit):
 * {@code w_k ← w_k − lr · α_k · ∇_k L(t)}, {@code α_k = plasticity} for the randomly chosen
 * {@code fraction} of hidden-layer weights and biases (never the output layer), {@code α_k = 1}
 * otherwise. Then every ephemeral weight decays, {@code w ← γ w} with {@code γ = forgetRate}
 * (Eq. 6), and, if {@code clip} is finite, every weight is clipped to {@code [−clip, clip]}.
 *
 * @param seed       seed of weights, plasticity mask, feedback matrix and data
 * @param lr         base learning rate, {@code > 0} (paper 1e-4)
 * @param plasticity α of the ephemeral weights, {@code >= 1} (paper 1e4 or 1e5)
 * @param fraction   share of hidden-layer weights that are ephemeral, in [0, 1] (paper ~0.1; the
 *                   authors' code 0.2); 0 gives a model without ephemeral weights
 * @param forgetRate γ, the paper's forgetting-rate coefficient: the factor every ephemeral weight
 *                   keeps after each update, in (0, 1] (paper 0.7; 1 = no decay). The authors' code
 *                   multiplies by {@code 1 − rate}; convert with {@link #gammaFromAuthorsRate}.
 * @param clip       weight-clipping threshold, {@code > 0}; {@code +Infinity} = no clipping
 * @param init       how the run's weights start, from its seed: the paper's text states none;
 *                   {@link Initialisation#UNIFORM} (default) draws every weight and bias, the authors'
 *                   code starts the weight matrices at 0 ({@link Initialisation#ZERO_WEIGHTS}). A
 *                   starting point, like the seed, so runs of both train in one batched model.
 */
public record RunConfig(long seed, double lr, double plasticity, double fraction, double forgetRate, double clip, Initialisation init) {
    public RunConfig {
        if (init == null) throw new IllegalArgumentException("init must be one of " + java.util.Arrays.toString(Initialisation.values()) + ", got null");
        Check.positive("lr", lr);
        if (!(plasticity >= 1) || Double.isInfinite(plasticity))
            throw new IllegalArgumentException("plasticity must be a finite number >= 1, got " + plasticity);
        Check.inRange("fraction", fraction, 0, 1);
        if (!(forgetRate > 0 && forgetRate <= 1))
            throw new IllegalArgumentException("forgetRate (γ, the factor kept per update) must be in (0, 1], got " + forgetRate);
        if (!(clip > 0)) throw new IllegalArgumentException("clip must be > 0 (+Infinity = no clipping), got " + clip);
    }

    /** A run with the {@link Initialisation#UNIFORM uniform} start. */
    public RunConfig(long seed, double lr, double plasticity, double fraction, double forgetRate, double clip) {
        this(seed, lr, plasticity, fraction, forgetRate, clip, Initialisation.UNIFORM);
    }

    /**
     * The text that identifies this run in a checkpoint's fingerprint: the record's text, except that
     * {@code init} (added later) appears only when it is not the uniform start, so that checkpoints
     * written before it existed still resume.
     */
    String fingerprint() {
        return "RunConfig[seed=" + seed + ", lr=" + lr + ", plasticity=" + plasticity + ", fraction=" + fraction + ", forgetRate=" + forgetRate
                + ", clip=" + clip + (init == Initialisation.UNIFORM ? "" : ", init=" + init) + "]";
    }

    /** An ephemeral-weights run without clipping. */
    public static RunConfig ephemeral(long seed, double lr, double plasticity, double fraction, double forgetRate) {
        return new RunConfig(seed, lr, plasticity, fraction, forgetRate, Double.POSITIVE_INFINITY);
    }

    /** A run without ephemeral weights (the baseline RNN): fraction 0, no decay, no clipping. */
    public static RunConfig baseline(long seed, double lr) {
        return new RunConfig(seed, lr, 1, 0, 1, Double.POSITIVE_INFINITY);
    }

    /** γ for the authors' code's rate ρ ({@code w ← (1 − ρ) w}): {@code γ = 1 − ρ}. */
    public static double gammaFromAuthorsRate(double rate) {
        Check.inRange("rate", rate, 0, 1);
        return 1 - rate;
    }

    public RunConfig withSeed(long s) { return new RunConfig(s, lr, plasticity, fraction, forgetRate, clip, init); }

    public RunConfig withLr(double l) { return new RunConfig(seed, l, plasticity, fraction, forgetRate, clip, init); }

    public RunConfig withPlasticity(double a) { return new RunConfig(seed, lr, a, fraction, forgetRate, clip, init); }

    public RunConfig withForgetRate(double g) { return new RunConfig(seed, lr, plasticity, fraction, g, clip, init); }

    public RunConfig withClip(double c) { return new RunConfig(seed, lr, plasticity, fraction, forgetRate, c, init); }

    public RunConfig withInit(Initialisation i) { return new RunConfig(seed, lr, plasticity, fraction, forgetRate, clip, i); }

    /** {@link #withInit(Initialisation)} by name ({@link Initialisation#named}: {@code uniform}, {@code zero_weights}). */
    public RunConfig withInit(String name) { return withInit(Initialisation.named(name)); }
}
