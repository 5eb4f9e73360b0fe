package memlab.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import memlab.core.Check;
import memlab.core.Seeds;
import memlab.nn.Linear;
import memlab.nn.LstmCell;
import memlab.train.ParamSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import memlab.core.Scalars;

/**
 * An LSTM encoder–decoder for R runs at once (every parameter has a leading run dimension,
 * {@link ParamSet}), with the decoder's view of the source chosen by {@link Attention}:
 * <pre>
 *   h_j = LSTM_enc(E x_j, h_{j−1})                       j = 1..L   (E: embedding, N(0, 1))
 *   s_0 = h_L                                             (the cell state too)
 *   α_t = softmax_j(e_tj),  e_tj = vᵀ tanh(W s_{t−1} + U h_j + b)        ({@link AdditiveAlignment})
 *   c_t = h_L (none) | Σ_j α_tj h_j (soft) | h_{j_t}, j_t ~ α_t (hard)
 *   s_t = LSTM_dec(c_t, s_{t−1})                          t = 1..L
 *   p(y_t | ·) = softmax(W_o [s_t; c_t] + b_o)
 * </pre>
 * The decoder gets no previous output as input: it is told only where it is (its own state) and what it
 * sees ({@code c_t}), so training and evaluation are the same computation and no teacher forcing is
 * involved. Additive attention was chosen over dot-product because it is the primer's "small
 * feed-forward alignment model" and needs no matching of encoder and decoder sizes.
 *
 * <p>The forward pass takes the weights as a map, so tests run the same maths in float64 on copies.
 */
public final class Seq2Seq {
    /**
     * @param symbols   vocabulary size V (source and target)
     * @param embedding embedding size
     * @param hidden    encoder and decoder state size H
     * @param alignment hidden size A of the alignment model (unused without attention)
     * @param attention how the decoder sees the source
     */
    public record Config(int symbols, int embedding, int hidden, int alignment, Attention attention) {
        public Config {
            Check.positive("symbols", symbols);
            Check.positive("embedding", embedding);
            Check.positive("hidden", hidden);
            Check.positive("alignment", alignment);
            Check.oneOf("attention", attention, Attention.class);
        }
    }

    /**
     * One pass. Shapes: R runs, B sequences, L steps, V symbols.
     *
     * @param logits    {@code (R, B, L, V)}
     * @param alignment {@code α}, {@code (R, B, L_out, L_in)}; null without attention
     * @param logPolicy {@code Σ_t log α_t(j_t)} of the sampled positions {@code (R, B)}; null unless hard
     */
    public record Pass(NDArray logits, NDArray alignment, NDArray logPolicy) {}

    private final Config c;
    private final ParamSet params;
    private final LstmCell encoder, decoder;
    private final AdditiveAlignment align;

    /** Creates the parameters in {@code params}, one initialisation per run seed. */
    public Seq2Seq(ParamSet params, Config config, long[] seeds) {
        if (seeds.length != params.runs())
            throw new IllegalArgumentException("need one seed per run: " + params.runs() + " runs, " + seeds.length + " seeds");
        this.c = config;
        this.params = params;
        int v = c.symbols(), e = c.embedding();
        params.add("embed", new Shape(v, e), r -> Seeds.normal(Seeds.stream(seeds[r], "embed"), new float[v * e]));
        encoder = new LstmCell(params, "encoder", e, c.hidden(), seeds);
        decoder = new LstmCell(params, "decoder", c.hidden(), c.hidden(), seeds);
        align = c.attention() == Attention.NONE ? null : new AdditiveAlignment(params, c.hidden(), c.alignment(), seeds);
        new Linear(params, "output", 2 * c.hidden(), v, seeds);
    }

    /** As {@link #forward(Map, NDArray, SplittableRandom[])} with the model's own parameters. */
    public Pass forward(NDArray sources, SplittableRandom[] sampler) {
        return forward(params.all(), sources, sampler);
    }

    /**
     * Runs the sources {@code (R, B, L)} (integers in {@code 0..V−1}) with the weights {@code w}.
     *
     * @param sampler hard attention only: one random stream per run to draw the positions from; null for
     *                the most probable position (evaluation)
     */
    public Pass forward(Map<String, NDArray> w, NDArray sources, SplittableRandom[] sampler) {
        Shape s = sources.getShape();
        if (s.dimension() != 3 || s.get(0) != params.runs())
            throw new IllegalArgumentException("sources must have shape (R = " + params.runs() + ", B, L), got " + s);
        int runs = (int) s.get(0), b = (int) s.get(1), len = (int) s.get(2), hid = c.hidden();
        NDArray embed = w.get("embed");
        DataType type = embed.getDataType();
        NDManager m = sources.getManager();
        NDArray x = sources.oneHot(c.symbols()).toType(type, false).reshape(runs, (long) b * len, c.symbols())
                .batchMatMul(embed).reshape(runs, b, -1);
        NDList steps = x.split(len, 2);                                      // E x_j, (R, B, E) each

        LstmCell.State st = new LstmCell.State(m.zeros(new Shape(runs, b, hid), type), m.zeros(new Shape(runs, b, hid), type));
        List<NDArray> hs = new ArrayList<>(len);
        for (int j = 0; j < len; j++)
            try (NDScope scope = new NDScope()) {                           // a step's temporaries go at its end (see Dnc)
                st = encoder.step(w, steps.get(j), st);
                hs.add(st.h());
                NDScope.unregister(st.h(), st.c());
            }
        NDArray states = NDArrays.stack(new NDList(hs), 2);                   // (R, B, L, H)
        AdditiveAlignment.Keys keys = align == null ? null : align.keys(w, states);
        NDArray last = st.h();

        List<NDArray> decoded = new ArrayList<>(len), contexts = new ArrayList<>(len), alphas = new ArrayList<>(len);
        NDArray logPolicy = null;
        for (int t = 0; t < len; t++) {
            try (NDScope scope = new NDScope()) {
                NDArray context = last;
                if (align != null) {
                    NDArray scores = align.scores(w, st.h(), keys);                 // (R, B, L, 1)
                    NDArray alpha = scores.softmax(2);
                    NDArray selector = alpha;
                    if (c.attention() == Attention.HARD) {
                        selector = HardAttention.choose(alpha, sampler);
                        NDArray logp = selector.mul(scores.logSoftmax(2)).sum(new int[]{2, 3});
                        logPolicy = logPolicy == null ? logp : logPolicy.add(logp);
                    }
                    context = selector.mul(states).sum(new int[]{2});               // Σ_j α_tj h_j, (R, B, H): α broadcasts over H
                    alphas.add(alpha);
                    NDScope.unregister(alpha);
                }
                st = decoder.step(w, context, st);
                decoded.add(st.h());
                contexts.add(context);
                NDScope.unregister(st.h(), st.c(), context);
                if (logPolicy != null) NDScope.unregister(logPolicy);
            }
        }
        // W_o [s_t; c_t] + b_o of all steps in one product after the loop (no step needs its logits)
        NDArray features = NDArrays.concat(new NDList(NDArrays.stack(new NDList(decoded), 2), NDArrays.stack(new NDList(contexts), 2)), 3);
        NDArray logits = features.reshape(runs, (long) b * len, 2L * hid).batchMatMul(w.get("output.weight")).addi(w.get("output.bias"))
                .reshape(runs, b, len, c.symbols());
        return new Pass(logits,
                align == null ? null : NDArrays.stack(new NDList(alphas), 2).reshape(runs, b, len, len), logPolicy);
    }

    /**
     * What a pass scored against the targets.
     *
     * @param logLikelihood {@code Σ_t log p(y_t | ·)} of each sequence {@code (R, B)}
     * @param loss          mean cross-entropy per symbol of each run {@code (R)}
     * @param accuracy      fraction of symbols predicted right (argmax), per run
     * @param exact         fraction of sequences predicted entirely right, per run
     */
    public record Score(NDArray logLikelihood, NDArray loss, float[] accuracy, float[] exact) {}

    /** Scores the logits of a pass against targets {@code (R, B, L)}. */
    public static Score score(NDArray logits, NDArray targets) {
        long[] s = targets.getShape().getShape();
        int runs = (int) s[0], b = (int) s[1], len = (int) s[2];
        NDArray index = targets.toType(DataType.INT64, false);
        NDArray ll = logits.logSoftmax(-1).gather(index.expandDims(-1), -1).squeeze(-1).sum(new int[]{2});
        // right symbols and whole sequences counted on the host from the argmax: two copies, not ten engine operations
        long[] best = logits.argMax(-1).toLongArray(), target = index.toLongArray();
        int[] right = new int[runs], whole = new int[runs];
        for (int q = 0; q < runs * b; q++) {                       // sequence q of run q / b
            int hits = 0;
            for (int t = q * len; t < (q + 1) * len; t++) if (best[t] == target[t]) hits++;
            right[q / b] += hits;
            if (hits == len) whole[q / b]++;
        }
        float[] acc = new float[runs], exact = new float[runs];
        for (int r = 0; r < runs; r++) {
            acc[r] = (float) right[r] / ((long) b * len);
            exact[r] = (float) whole[r] / b;
        }
        return new Score(ll, Scalars.div(ll.mean(new int[]{1}), -len), acc, exact);
    }

    /**
     * The training loss of each run {@code (R)}: the mean cross-entropy per symbol, and for hard attention
     * minus the REINFORCE surrogate of the sequence log-likelihood, per symbol, with {@code baseline}.
     */
    public NDArray trainingLoss(Pass pass, Score score, double[] baseline) {
        if (c.attention() != Attention.HARD) return score.loss();
        long len = pass.logits().getShape().get(2);
        return score.loss().sub(Scalars.div(Reinforce.surrogate(score.logLikelihood(), pass.logPolicy(), baseline), len));
    }

    public Config config() { return c; }

    public ParamSet params() { return params; }
}
