package memlab.mixers;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import memlab.nn.Linear;
import memlab.train.ParamSet;

/**
 * Gated DeltaNet (Yang, Kautz and Hatamizadeh, "Gated Delta Networks", 2024): {@link DeltaNet} whose
 * memory first decays by a data-dependent {@code α_t ∈ (0, 1)}, then takes the delta update. Per head:
 * <pre>
 *   S_t = α_t S_{t−1} + β_t k_t (v_t − α_t S_{t−1}ᵀ k_t)ᵀ,     o_t = S_tᵀ q_t
 *   α_t = σ(x_t w_α + b_α + 3)
 * </pre>
 * The gate can clear the memory at once (α → 0) where the delta rule alone can only overwrite one
 * key at a time. The constant 3 starts the decay near σ(3) ≈ 0.95, so that an untrained layer
 * remembers for tens of positions (the same idea as a forget-gate bias; the paper parametrises α
 * Mamba-2 style, {@code exp(−a·softplus(·))}; a sigmoid gate is the simpler choice with the same range).
 *
 * <p>State size: the matrix {@code S} of every head, {@code H · d²} numbers per sequence.
 */
public final class GatedDeltaNet extends DeltaNet {
    /** Added to the gate's pre-activation so that α starts near σ(3) ≈ 0.95. */
    public static final float DECAY_OFFSET = 3f;

    private final Linear decay;

    public GatedDeltaNet(ParamSet params, String name, int width, int heads, long[] seeds) {
        this(params, name, width, heads, CHUNK, seeds);
    }

    public GatedDeltaNet(ParamSet params, String name, int width, int heads, int chunk, long[] seeds) {
        super(params, name, width, heads, chunk, seeds);
        this.decay = linear(name + ".alpha", heads, seeds);
    }

    /** {@code log α = log σ(z) = −softplus(−z)}, computed without forming α (stable for small α). */
    @Override
    NDArray logDecay(NDArray x2, Shape4 s) {
        NDArray z = splitScalar(decay.forward(x2), s).add(DECAY_OFFSET);
        return Activation.softPlus(z.neg()).neg();
    }
}
