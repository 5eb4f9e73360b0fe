package memlab.mixers;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import memlab.core.Check;
import memlab.nn.Linear;
import memlab.train.ParamSet;

/**
 * DeltaNet (Schlag et al., 2021; Yang et al., 2024): linear attention whose memory is written by
 * the delta rule. Per head ({@code d = D / H}), with L2-normalised queries and keys and a write
 * strength {@code β_t = σ(x_t w_β + b_β)} of its own per head:
 * <pre>
 *   S_t = S_{t−1} + β_t k_t (v_t − S_{t−1}ᵀ k_t)ᵀ,     o_t = S_tᵀ q_t
 * </pre>
 * With unit keys, writing {@code v} under a key already used replaces (β = 1) rather than adds to
 * what was stored: the memory does not fill up with the sum of everything it saw.
 *
 * <p>State size: the matrix {@code S} of every head, {@code H · d²} numbers per sequence.
 *
 * <p>Parameterisation: the L2 normalisation of queries and keys and the sigmoid write strength follow
 * Yang et al. (2024) and flash-linear-attention's {@code DeltaNet} ({@code qk_norm='l2'},
 * {@code use_beta=True}); unit keys keep the transition {@code I − β k kᵀ} non-expansive for β ∈ (0, 1).
 * Unlike flash-linear-attention's layer there is no SiLU on q, k, v, no query scale (its kernels default to {@code d^{-1/2}})
 * and no per-head RMSNorm on the output: the short convolution sits in front of the whole mixer
 * ({@link SequenceModel}), not on q, k and v separately.
 *
 * <p>{@link Form#FAST} is the chunk-wise WY/UT form of {@link DeltaRule#chunked}; {@link Form#RECURRENT}
 * the loop of {@link DeltaRule#recurrent}.
 */
public class DeltaNet extends HeadedMixer {
    /** The chunk length of the fast form unless told otherwise (as flash-linear-attention's default). */
    public static final int CHUNK = 64;

    protected final int chunk;
    private final Linear writeStrength;

    public DeltaNet(ParamSet params, String name, int width, int heads, long[] seeds) {
        this(params, name, width, heads, CHUNK, seeds);
    }

    /** @param chunk positions per chunk of the fast form, {@code >= 1} */
    public DeltaNet(ParamSet params, String name, int width, int heads, int chunk, long[] seeds) {
        super(params, name, width, heads, seeds);
        this.chunk = Check.positive("chunk", chunk);
        this.writeStrength = linear(name + ".beta", heads, seeds);
    }

    @Override
    public long stateSize(int contextLength) {
        return (long) heads * headDim * headDim;
    }

    @Override
    final NDArray mix(NDArray q, NDArray k, NDArray v, NDArray x2, Shape4 s, Form form) {
        NDArray beta = Activation.sigmoid(splitScalar(writeStrength.forward(x2), s));
        NDArray logAlpha = logDecay(x2, s);
        NDArray qn = l2Normalise(q), kn = l2Normalise(k);
        return form == Form.FAST ? DeltaRule.chunked(qn, kn, v, beta, logAlpha, chunk)
                : DeltaRule.recurrent(qn, kn, v, beta, logAlpha);
    }

    /** {@code log α_t} of shape {@code (N, T)}, or {@code null} for no decay (DeltaNet). */
    NDArray logDecay(NDArray x2, Shape4 s) {
        return null;
    }

    /** {@code x / sqrt(Σ x² + 1e-6)} over the last axis (as flash-linear-attention's l2norm). */
    static NDArray l2Normalise(NDArray x) {
        return x.div(x.square().sum(new int[]{-1}, true).add(1e-6f).sqrt());
    }
}
