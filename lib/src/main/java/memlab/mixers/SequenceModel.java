package memlab.mixers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import memlab.core.Check;
import memlab.core.Seeds;
import memlab.nn.Linear;
import memlab.train.ParamSet;

import java.util.ArrayList;
import java.util.List;

/**
 * The small sequence model every mixer is tried in (the shape of Zoology's models, pre-norm as GPT-2):
 * <pre>
 *   x⁰ = E[token] + P[position]
 *   for each layer l:   x ← x + mixer_l(conv_l(LN(x)));   x ← x + W₂ gelu(W₁ LN(x))
 *   logits = LN(x) W_out + b_out
 * </pre>
 * The mixer of each layer is a parameter ({@link MixerSpec}): a hybrid is one list, e.g.
 * {@code List.of(MixerSpec.attention(4), MixerSpec.deltaNet(4))}. Token and position embeddings are
 * learnt, drawn from N(0, 0.02²) (GPT-2's initialisation); {@code conv_l} is an optional
 * {@link ShortConvolution} (identity when {@link Config#shortConv()} is 0); every parameter has a leading run
 * dimension, so {@code R} seeds train as one model ({@link ParamSet}).
 *
 * <p>For the diagnostics of unused memory: a layer's mixer can be {@linkplain #ablate ablated} (its
 * output replaced by zeros, i.e. the residual stream passes the layer's mixer by), and
 * {@link #layerParameterNames} names the parameters whose gradient share reaches each mixer.
 */
public final class SequenceModel implements AutoCloseable {
    /**
     * @param vocab        vocabulary size V
     * @param width        model width D
     * @param maxLength    longest sequence (positions with an embedding)
     * @param layers       the mixer of each layer, first to last
     * @param mlpExpansion hidden width of each MLP as a multiple of D
     * @param shortConv    taps of the {@link ShortConvolution} in front of each mixer, 0 for none
     */
    public record Config(int vocab, int width, int maxLength, List<MixerSpec> layers, int mlpExpansion, int shortConv) {
        public Config {
            Check.nonNegative("shortConv", shortConv);
            Check.positive("vocab", vocab);
            Check.positive("width", width);
            Check.positive("maxLength", maxLength);
            Check.positive("mlpExpansion", mlpExpansion);
            if (layers == null || layers.isEmpty()) throw new IllegalArgumentException("layers must list at least one mixer");
            for (MixerSpec s : layers)
                if (width % s.heads() != 0)
                    throw new IllegalArgumentException("heads must divide width: width " + width + " is not a multiple of heads " + s.heads() + " (" + s + ")");
            layers = List.copyOf(layers);
        }

        /** Without short convolutions. */
        public Config(int vocab, int width, int maxLength, List<MixerSpec> layers, int mlpExpansion) {
            this(vocab, width, maxLength, layers, mlpExpansion, 0);
        }

        /** The same model with a {@link ShortConvolution} of {@code taps} taps in front of every mixer (0: none). */
        public Config withShortConv(int taps) {
            return new Config(vocab, width, maxLength, layers, mlpExpansion, taps);
        }

        /** The same model with MLPs of twice the width (Zoology's recall models use small MLPs too). */
        public static Config of(int vocab, int width, int maxLength, List<MixerSpec> layers) {
            return new Config(vocab, width, maxLength, layers, 2);
        }
    }

    private final Config config;
    private final ParamSet params;
    private final NDArray tokenTable, positionTable;
    private final List<Mixer> mixers = new ArrayList<>();
    private final List<ShortConvolution> convs = new ArrayList<>();
    private final List<LayerNorm> mixerNorms = new ArrayList<>(), mlpNorms = new ArrayList<>();
    private final List<Linear[]> mlps = new ArrayList<>();
    private final LayerNorm finalNorm;
    private final Linear head;
    private final boolean[] ablated;
    private final Insert[] inserts;

    /** @param seeds one seed per run (the number of runs R) */
    public SequenceModel(NDManager parent, Config config, long[] seeds) {
        this.config = config;
        this.params = new ParamSet(parent, seeds.length);
        int d = config.width(), v = config.vocab();
        tokenTable = params.add("embed.tokens", new Shape(v, d), r -> scaled(Seeds.normal(Seeds.stream(seeds[r], "embed.tokens"), new float[v * d])));
        positionTable = params.add("embed.positions", new Shape(config.maxLength(), d),
                r -> scaled(Seeds.normal(Seeds.stream(seeds[r], "embed.positions"), new float[config.maxLength() * d])));
        for (int l = 0; l < config.layers().size(); l++) {
            String p = "layer" + l;
            mixerNorms.add(new LayerNorm(params, p + ".norm1", d));
            convs.add(config.shortConv() == 0 ? null : new ShortConvolution(params, p + ".conv", d, config.shortConv(), seeds));
            mixers.add(config.layers().get(l).create(params, p + ".mixer", d, seeds));
            mlpNorms.add(new LayerNorm(params, p + ".norm2", d));
            int hidden = d * config.mlpExpansion();
            mlps.add(new Linear[]{new Linear(params, p + ".mlp.in", d, hidden, seeds), new Linear(params, p + ".mlp.out", hidden, d, seeds)});
        }
        finalNorm = new LayerNorm(params, "norm", d);
        head = new Linear(params, "head", d, v, seeds);
        ablated = new boolean[config.layers().size()];
        inserts = new Insert[config.layers().size()];
    }

    /**
     * A layer between blocks that adds to the residual stream, {@code x ← x + insert(x)} after
     * block {@code l} (its mixer and MLP): the hook a model with a memory beside the blocks (the
     * phasor memory of {@code memlab.pmnet}) hosts its layers by. Its parameters live in this
     * model's {@link #params()}, so the optimiser and the gradient norms see them.
     */
    @FunctionalInterface
    public interface Insert {
        /** What to add to the residual stream {@code x} of shape {@code (R, B, T, D)}; same shape out. */
        NDArray forward(NDArray x);
    }

    /** Adds {@code x ← x + insert(x)} after block {@code layer}; at most one insert per block. */
    public void insertAfter(int layer, Insert insert) {
        int l = layerIndex(layer);
        if (inserts[l] != null) throw new IllegalArgumentException("layer " + layer + " already has an insert");
        inserts[l] = Check.notNull("insert", insert);
    }

    private static float[] scaled(float[] a) {
        for (int i = 0; i < a.length; i++) a[i] *= 0.02f;
        return a;
    }

    /** Logits {@code (R, B, T, V)} for tokens {@code (R, B, T)} (integers in {@code 0..V−1}). */
    public NDArray logits(NDArray tokens) {
        return logits(tokens, Mixer.Form.FAST);
    }

    /** As {@link #logits(NDArray)} with every mixer in the given form. */
    public NDArray logits(NDArray tokens, Mixer.Form form) {
        Shape s = tokens.getShape();
        if (s.dimension() != 3 || s.get(0) != params.runs())
            throw new IllegalArgumentException("tokens must have shape (R = " + params.runs() + ", B, T), got " + s);
        int runs = (int) s.get(0), batch = (int) s.get(1), len = (int) s.get(2), d = config.width();
        if (len > config.maxLength())
            throw new IllegalArgumentException("sequence length " + len + " exceeds maxLength " + config.maxLength());
        NDManager m = tokens.getManager();
        // row r·V + token of the runs' stacked tables
        NDArray offsets = m.arange(0, runs * config.vocab(), config.vocab(), DataType.INT64).reshape(runs, 1, 1);
        NDArray rows = tokens.toType(DataType.INT64, false).add(offsets).reshape(-1);
        NDArray x = tokenTable.reshape(-1, d).get(new NDIndex("{}", rows)).reshape(runs, batch * len, d);
        x = x.reshape(runs, batch, len, d).add(positionTable.get(new NDIndex(":, :{}, :", len)).reshape(runs, 1, len, d))
                .reshape(runs, batch * len, d);
        for (int l = 0; l < mixers.size(); l++) {
            if (!ablated[l]) {
                NDArray h = mixerNorms.get(l).forward(x).reshape(runs, batch, len, d);
                if (convs.get(l) != null) h = convs.get(l).forward(h);
                x = x.add(mixers.get(l).forward(h, form).reshape(runs, batch * len, d));
            }
            Linear[] mlp = mlps.get(l);
            x = x.add(mlp[1].forward(Activation.gelu(mlp[0].forward(mlpNorms.get(l).forward(x)))));
            if (inserts[l] != null)
                x = x.add(inserts[l].forward(x.reshape(runs, batch, len, d)).reshape(runs, batch * len, d));
        }
        return head.forward(finalNorm.forward(x)).reshape(runs, batch, len, config.vocab());
    }

    /**
     * Cross-entropy and accuracy at the answer positions, per run.
     *
     * @param loss    the runs' losses summed (what training differentiates)
     * @param runLoss each run's loss {@code (R)}, still attached to the graph
     */
    public record Result(NDArray loss, NDArray runLoss, float[] lossPerRun, float[] accuracy) {}

    /**
     * Mean cross-entropy over the answer positions of each run, summed over runs (so each run's
     * gradient is its own mean), and each run's accuracy there (argmax = target).
     *
     * @param targets (R, B, T) integers, any value off the answers
     * @param answers (R, B, T) 1 at answer positions, 0 elsewhere
     */
    public Result loss(NDArray tokens, NDArray targets, NDArray answers) {
        return lossFromLogits(logits(tokens), targets, answers);
    }

    /** As {@link #loss(NDArray, NDArray, NDArray)} from logits already computed. */
    public Result lossFromLogits(NDArray logits, NDArray targets, NDArray answers) {
        return answerLoss(logits, targets, answers);
    }

    /**
     * Mean cross-entropy (nats) over the answer positions of each run, summed over runs, and each run's
     * accuracy there, for the logits of any next-token model with runs in the leading dimension:
     * {@code L_r = −(1/|A_r|) Σ_{(b,t)∈A_r} log softmax(z_{r,b,t})[y_{r,b,t}]}.
     *
     * @param logits  {@code (R, B, T, V)}
     * @param targets {@code (R, B, T)} integers, any value off the answers
     * @param answers {@code (R, B, T)} 1 at answer positions, 0 elsewhere
     */
    public static Result answerLoss(NDArray logits, NDArray targets, NDArray answers) {
        int runs = (int) logits.getShape().get(0);
        NDArray logp = logits.logSoftmax(-1);
        NDArray picked = logp.gather(targets.toType(DataType.INT64, false).expandDims(-1), -1).squeeze(-1);
        NDArray count = answers.reshape(runs, -1).sum(new int[]{1}).maximum(1f);
        NDArray perRun = picked.mul(answers).reshape(runs, -1).sum(new int[]{1}).div(count).neg();
        NDArray hit = logits.argMax(-1).toType(DataType.INT64, false).eq(targets.toType(DataType.INT64, false))
                .toType(DataType.FLOAT32, false).mul(answers).reshape(runs, -1).sum(new int[]{1}).div(count);
        return new Result(perRun.sum(), perRun, perRun.toFloatArray(), hit.toFloatArray());
    }

    /** Zeroes layer {@code layer}'s mixer output ({@code true}) or restores it; for ablation at evaluation. */
    public void ablate(int layer, boolean off) {
        ablated[layerIndex(layer)] = off;
    }

    /** The mixer of layer {@code layer}. */
    public Mixer mixer(int layer) {
        return mixers.get(layerIndex(layer));
    }

    /** The names of layer {@code layer}'s mixer parameters, its short convolution's included (its gradient share is theirs). */
    public List<String> layerParameterNames(int layer) {
        List<String> names = new ArrayList<>(mixer(layer).parameterNames());
        if (convs.get(layer) != null) names.add("layer" + layer + ".conv.weight");
        return List.copyOf(names);
    }

    /** The names of layer {@code layer}'s MLP parameters and norms (everything of the layer but its mixer). */
    public List<String> layerMlpParameterNames(int layer) {
        layerIndex(layer);
        List<String> names = new ArrayList<>();
        for (String part : List.of("norm1.gain", "norm1.bias", "norm2.gain", "norm2.bias", "mlp.in.weight", "mlp.in.bias", "mlp.out.weight", "mlp.out.bias"))
            names.add("layer" + layer + "." + part);
        return names;
    }

    /** The summed state size of all mixers (and short convolutions) for a context of {@code contextLength} positions. */
    public long stateSize(int contextLength) {
        long n = 0;
        for (int l = 0; l < mixers.size(); l++)
            n += mixers.get(l).stateSize(contextLength) + (convs.get(l) == null ? 0 : convs.get(l).stateSize());
        return n;
    }

    private int layerIndex(int layer) {
        if (layer < 0 || layer >= mixers.size())
            throw new IllegalArgumentException("layer must be in [0, " + (mixers.size() - 1) + "], got " + layer);
        return layer;
    }

    public int layers() { return mixers.size(); }

    public Config config() { return config; }

    public ParamSet params() { return params; }

    @Override
    public void close() {
        params.close();
    }

    /** Layer normalisation over the width with a learnt gain (1) and bias (0): {@code (x − μ)/√(σ² + 1e-5) · g + b}. */
    public static final class LayerNorm {
        private final NDArray gain, bias;

        /** Creates {@code name.gain} and {@code name.bias} in {@code params}. */
        public LayerNorm(ParamSet params, String name, int width) {
            gain = params.add(name + ".gain", new Shape(1, width), r -> filled(width, 1f));
            bias = params.add(name + ".bias", new Shape(1, width), r -> filled(width, 0f));
        }

        /** Normalises {@code x} of shape {@code (R, N, width)} over its last axis. */
        public NDArray forward(NDArray x) {
            NDArray centred = x.sub(x.mean(new int[]{-1}, true));
            NDArray var = centred.square().mean(new int[]{-1}, true);
            return centred.div(var.add(1e-5f).sqrt()).mul(gain).add(bias);
        }

        private static float[] filled(int n, float v) {
            float[] a = new float[n];
            java.util.Arrays.fill(a, v);
            return a;
        }
    }
}
