package memlab.memn2n;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import memlab.core.Check;
import memlab.core.Seeds;
import memlab.tasks.StoryBatch;
import memlab.train.ParamSet;

import java.util.Map;

/**
 * The end-to-end memory network of Sukhbaatar, Szlam, Weston and Fergus (2015, "End-To-End Memory
 * Networks") for R runs at once (every parameter has a leading run dimension, {@link ParamSet}).
 *
 * <p>Story sentences {@code x_i} are held in memory twice, as keys {@code m_i} and values {@code c_i}; the
 * question {@code q} is the first controller state; each hop attends over the memory and adds what it read:
 * <pre>
 *   u¹    = Σ_j l_j ⊙ B q_j                                              (question)
 *   m_i^k = Σ_j l_j ⊙ A^k x_ij + T_A^k(i),   c_i^k = Σ_j l_j ⊙ C^k x_ij + T_C^k(i)
 *   p_i^k = softmax_i(u^kᵀ m_i^k),   o^k = Σ_i p_i^k c_i^k,   u^{k+1} = u^k + o^k      k = 1..K
 *   â     = softmax(W u^{K+1})
 * </pre>
 * <b>Adjacent weight tying</b> (§2.2): the output embedding of one hop is the input embedding of the next,
 * {@code A^{k+1} = C^k} and {@code T_A^{k+1} = T_C^k}; the question embedding is the first input embedding,
 * {@code B = A^1}; the answer map is the last output embedding, {@code W = (C^K)ᵀ}. So K hops have K + 1
 * embeddings {@code embed.0 … embed.K} ({@code A^k = embed.(k−1)}, {@code C^k = embed.k}) and, with
 * temporal encoding, K + 1 tables {@code temporal.0 … temporal.K} likewise.
 *
 * <p><b>Position encoding</b> {@code l_j}: {@link PositionEncoding} (or a bag of words). <b>Temporal
 * encoding</b> (§4.1): {@code T(i)} is row {@code i} of a learned {@code (S, d)} table, where slot {@code i}
 * holds the {@code i}-th most recent sentence ({@link StoryBatch}), so "the last place mary went" can be
 * told from the first. Empty memory slots get no attention. Weights are drawn from {@code N(0, 0.1²)} as in
 * the paper. The linear start and random noise of the paper's training are not part of the model.
 *
 * <p>The forward pass takes the weights as a map, so tests run the same maths in float64 on copies.
 */
public final class MemN2N {
    /**
     * @param vocabulary         V, word ids (0 = padding)
     * @param embedding          d
     * @param memory             S, memory slots (sentences kept)
     * @param words              J, words per sentence (padded)
     * @param hops               K, {@code ≥ 1}
     * @param positionEncoding   position encoding (else bag of words)
     * @param temporalEncoding   temporal encoding
     */
    public record Config(int vocabulary, int embedding, int memory, int words, int hops, boolean positionEncoding, boolean temporalEncoding) {
        public Config {
            Check.positive("vocabulary", vocabulary);
            Check.positive("embedding", embedding);
            Check.positive("memory", memory);
            Check.positive("words", words);
            Check.positive("hops", hops);
        }
    }

    /**
     * One pass: answer logits {@code (R, B, V)} and the attention of every hop over the memory
     * {@code (R, B, K, S)}.
     */
    public record Pass(NDArray logits, NDArray attention) {}

    /** Standard deviation of the initial weights (the paper's σ = 0.1). */
    public static final double INIT_SIGMA = 0.1;

    private final Config c;
    private final ParamSet params;

    /** Creates the parameters in {@code params}, one initialisation per run seed. */
    public MemN2N(ParamSet params, Config config, long[] seeds) {
        if (seeds.length != params.runs())
            throw new IllegalArgumentException("need one seed per run: " + params.runs() + " runs, " + seeds.length + " seeds");
        this.c = Check.notNull("config", config);
        this.params = params;
        int v = c.vocabulary(), d = c.embedding(), s = c.memory();
        for (int k = 0; k <= c.hops(); k++) {
            String name = "embed." + k;
            params.add(name, new Shape(v, d), r -> scaled(Seeds.normal(Seeds.stream(seeds[r], name), new float[v * d])));
        }
        if (c.temporalEncoding())
            for (int k = 0; k <= c.hops(); k++) {
                String name = "temporal." + k;
                params.add(name, new Shape(s, d), r -> scaled(Seeds.normal(Seeds.stream(seeds[r], name), new float[s * d])));
            }
    }

    private static float[] scaled(float[] a) {
        for (int i = 0; i < a.length; i++) a[i] *= (float) INIT_SIGMA;
        return a;
    }

    /** As {@link #forward(Map, StoryBatch, NDManager)} with the model's own parameters. */
    public Pass forward(StoryBatch batch, NDManager m) {
        return forward(params.all(), batch, m);
    }

    /** Answers the questions of {@code batch} with the weights {@code w}, creating the inputs in {@code m}. */
    public Pass forward(Map<String, NDArray> w, StoryBatch batch, NDManager m) {
        int runs = batch.runs(), b = batch.batch(), s = batch.memory(), j = batch.words(), d = c.embedding();
        if (runs != params.runs()) throw new IllegalArgumentException("batch has " + runs + " runs, the model " + params.runs());
        if (s != c.memory() || j != c.words())
            throw new IllegalArgumentException("batch has memory " + s + " and words " + j + ", the model " + c.memory() + " and " + c.words());
        DataType type = w.get("embed.0").getDataType();
        int tables = c.hops() + 1;
        long n = (long) runs * b;
        // every story word is looked up in all K + 1 embeddings at once (the tables side by side), so the
        // position weights get an axis of one to broadcast over the K + 1 embeddings
        NDArray storyL = constant(m, PositionEncoding.weights(batch.sentenceLength(), j, d, c.positionEncoding()), new Shape(runs, b, s, j, 1, d), type);
        NDArray questionL = constant(m, PositionEncoding.weights(batch.questionLength(), j, d, c.positionEncoding()), new Shape(runs, b, j, d), type);
        NDArray storyRows = rows(m, batch.story(), new Shape(runs, b * s * j));
        NDArray questionRows = rows(m, batch.question(), new Shape(runs, b * j));
        double[] empty = new double[runs * b * s];
        for (int i = 0; i < empty.length; i++) empty[i] = batch.sentenceLength()[i] == 0 ? -1e9 : 0;
        NDArray emptyMask = constant(m, empty, new Shape(n, s, 1), type);                          // a column per story

        NDArray u = lookup(w.get("embed.0"), questionRows, new Shape(runs, b, j, d)).mul(questionL).sum(new int[]{2})
                .reshape(n, d, 1);                                                                 // u¹ as a column (RB, d, 1)
        NDList memories = memories(w, storyRows, storyL, runs, b, s);                              // embed.k's memory, (RB, S, d) each
        NDList attention = new NDList(c.hops());
        for (int k = 1; k <= c.hops(); k++) {
            NDArray p = memories.get(k - 1).batchMatMul(u).addi(emptyMask).softmax(1);            // (RB, S, 1); mask added into the fresh product
            NDArray row = p.reshape(n, 1, s);
            u = u.add(row.batchMatMul(memories.get(k)).reshape(n, d, 1));                         // u + Σ_i p_i c_i, C^k = A^{k+1}
            attention.add(row);
        }
        NDArray logits = u.reshape(runs, b, d).batchMatMul(w.get("embed." + c.hops()).transpose(0, 2, 1));   // W = (C^K)ᵀ
        return new Pass(logits, NDArrays.stack(attention, 1).reshape(runs, b, c.hops(), s));
    }

    /**
     * {@code Σ_j l_j ⊙ embed.k x_ij (+ temporal.k)} for every memory slot and every {@code k = 0..K}, each
     * {@code (R·B, S, d)}: one lookup in the K + 1 tables side by side, one weighted sum over the words, and
     * the temporal tables side by side added in place into that fresh sum (its backward keeps nothing).
     */
    private NDList memories(Map<String, NDArray> w, NDArray rows, NDArray l, int runs, int b, int s) {
        int d = c.embedding(), tables = c.hops() + 1;
        NDList embeds = new NDList(tables);
        for (int k = 0; k < tables; k++) embeds.add(w.get("embed." + k));
        NDArray all = NDArrays.concat(embeds, 2);                                                  // (R, V, (K+1)d)
        NDArray mem = memlab.core.Rows.of(all.reshape(-1, (long) tables * d), rows)
                .reshape(runs, b, s, c.words(), tables, d).mul(l).sum(new int[]{3});                // (R, B, S, K+1, d)
        if (c.temporalEncoding()) {
            NDList temporal = new NDList(tables);
            for (int k = 0; k < tables; k++) temporal.add(w.get("temporal." + k));
            mem = mem.addi(NDArrays.concat(temporal, 2).reshape(runs, 1, s, tables, d));
        }
        return mem.reshape((long) runs * b, s, (long) tables * d).split(tables, 2);
    }

    /** Host numbers as an array of {@code type}, created in that type (no conversion array for float32 and float64). */
    private static NDArray constant(NDManager m, double[] values, Shape shape, DataType type) {
        if (type == DataType.FLOAT64) return m.create(values, shape);
        if (type != DataType.FLOAT32) return m.create(values, shape).toType(type, false);
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) values[i];
        return m.create(f, shape);
    }

    /** Row indices into the runs' stacked tables: run r's word x is row {@code r·V + x}. */
    private NDArray rows(NDManager m, int[] ids, Shape shape) {
        long[] flat = new long[ids.length];
        int per = Math.toIntExact(shape.get(1));
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= c.vocabulary())
                throw new IllegalArgumentException("word id " + ids[i] + " outside the vocabulary 0.." + (c.vocabulary() - 1));
            flat[i] = (long) (i / per) * c.vocabulary() + ids[i];
        }
        return m.create(flat);
    }

    private NDArray lookup(NDArray table, NDArray rows, Shape shape) {
        return memlab.core.Rows.of(table.reshape(-1, c.embedding()), rows).reshape(shape);
    }


    /**
     * Cross-entropy of the answer and accuracy (argmax = answer), per run.
     *
     * @param loss {@code (R)}, mean over the batch
     */
    public record Score(NDArray loss, float[] accuracy) {}

    /** Scores answer logits {@code (R, B, V)} against the batch's answers. */
    public static Score score(NDArray logits, StoryBatch batch, NDManager m) {
        NDArray answers = m.create(batch.answer(), new Shape(batch.runs(), batch.batch())).toType(DataType.INT64, false);
        NDArray logp = logits.logSoftmax(-1).gather(answers.expandDims(-1), -1).squeeze(-1);
        float[] acc = logits.argMax(-1).toType(DataType.INT64, false).eq(answers).toType(DataType.FLOAT32, false).mean(new int[]{1}).toFloatArray();
        return new Score(logp.mean(new int[]{1}).neg(), acc);
    }

    public Config config() { return c; }

    public ParamSet params() { return params; }
}
