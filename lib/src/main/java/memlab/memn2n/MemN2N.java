package memlab.memn2n;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import memlab.core.Check;
import memlab.core.Scalars;
import memlab.core.Seeds;
import memlab.tasks.StoryBatch;
import memlab.train.ParamSet;

import java.util.Arrays;
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
     * One pass: answer logits {@code (R, B, V)} and each hop's attention over the memory {@code (R·B, 1, S)}.
     */
    public record Pass(NDArray logits, NDList hops) {
        /** The attention of every hop, {@code (R, B, K, S)}; stacked when asked for (training does not read it). */
        public NDArray attention() {
            Shape l = logits.getShape();
            return NDArrays.stack(hops, 1).reshape(l.get(0), l.get(1), hops.size(), -1);
        }
    }

    /** Standard deviation of the initial weights (the paper's σ = 0.1). */
    public static final double INIT_SIGMA = 0.1;

    private final Config c;
    private final ParamSet params;
    /**
     * The position weights of a sentence of every length 0..J: for the question {@code (J + 1, J, d)}, then for the
     * story {@code (J + 1, J, K + 1, d)} (tiled over the K + 1 embeddings it is looked up in), row-major, side by side.
     */
    private final double[] positionTables;

    /** Creates the parameters in {@code params}, one initialisation per run seed. */
    public MemN2N(ParamSet params, Config config, long[] seeds) {
        if (seeds.length != params.runs())
            throw new IllegalArgumentException("need one seed per run: " + params.runs() + " runs, " + seeds.length + " seeds");
        this.c = Check.notNull("config", config);
        this.params = params;
        int v = c.vocabulary(), d = c.embedding(), s = c.memory();
        this.positionTables = positionTables(c);
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

    /** See {@link #positionTables}. */
    private static double[] positionTables(Config c) {
        int j = c.words(), d = c.embedding(), tables = c.hops() + 1;
        int[] everyLength = new int[j + 1];
        for (int n = 0; n <= j; n++) everyLength[n] = n;
        double[] l = PositionEncoding.weights(everyLength, j, d, c.positionEncoding());              // (J + 1, J, d)
        double[] both = Arrays.copyOf(l, l.length * (1 + tables));
        for (int row = 0; row < (j + 1) * j; row++)                                                 // (length, word)
            for (int t = 0; t < tables; t++)
                System.arraycopy(l, row * d, both, l.length + (row * tables + t) * d, d);
        return both;
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
        long n = (long) runs * b;
        // The batch goes to the engine as two arrays, integers and numbers, cut there into views: each array made
        // from host numbers takes fresh native memory that is freed only when the JVM collects its buffer, so few
        // and small is faster. A sentence's position weights are the row of its length in the table of all
        // lengths 0..J, picked on the engine's side (not a (R, B, S, J, d) array made on the host each step).
        long storyEnd = n * s * j, questionEnd = storyEnd + n * j;
        NDList ints = m.create(indices(batch)).split(new long[]{storyEnd, questionEnd, questionEnd + n * s});
        int questionTable = (j + 1) * j * d, tablesEnd = positionTables.length;
        double[] numbers = Arrays.copyOf(positionTables, tablesEnd + runs * b * s);
        for (int i = 0; i < runs * b * s; i++) numbers[tablesEnd + i] = batch.sentenceLength()[i] == 0 ? -1e9 : 0;
        NDList real = constant(m, numbers, new Shape(numbers.length), type).split(new long[]{questionTable, tablesEnd});
        NDArray emptyMask = real.get(2).reshape(n, s, 1);                                          // a column per story
        NDArray storyRows = ints.get(0), questionRows = ints.get(1);
        NDArray questionL = memlab.core.Rows.of(real.get(0).reshape(j + 1, (long) j * d), ints.get(3)).reshape(runs, b, j, d);
        // every story word is looked up in all K + 1 embeddings at once (the tables side by side), and its position
        // weights come tiled to match: the product is then elementwise, which runs 3-4x faster than one that
        // broadcasts the weights over the K + 1 embeddings (its innermost run would be d numbers), forward and backward
        NDArray storyL = memlab.core.Rows.of(real.get(1).reshape(j + 1, (long) j * (c.hops() + 1) * d), ints.get(2))
                .reshape(runs, b, s, j, c.hops() + 1, d);

        NDArray u = lookup(w.get("embed.0"), questionRows, new Shape(runs, b, j, d)).mul(questionL).sum(new int[]{2})
                .reshape(n, d, 1);                                                                 // u¹ as a column (RB, d, 1)
        NDList memories = memories(w, storyRows, storyL, runs, b, s);                              // embed.k's memory, (RB, S, d) each
        NDList attention = new NDList(c.hops());                                                 // each hop's p as a row
        for (int k = 1; k <= c.hops(); k++) {
            NDArray p = memories.get(k - 1).batchMatMul(u).addi(emptyMask).softmax(1);            // (RB, S, 1); mask added into the fresh product
            NDArray row = p.reshape(n, 1, s);
            u = u.add(row.batchMatMul(memories.get(k)).reshape(n, d, 1));                         // u + Σ_i p_i c_i, C^k = A^{k+1}
            attention.add(row);
        }
        NDArray logits = u.reshape(runs, b, d).batchMatMul(w.get("embed." + c.hops()).transpose(0, 2, 1));   // W = (C^K)ᵀ
        return new Pass(logits, attention);
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

    /**
     * The batch's integers side by side: the story's and the question's words as row indices into the runs'
     * stacked tables (run r's word x is row {@code r·V + x}), then the sentences' and the questions' lengths
     * (row indices into the position table).
     */
    private long[] indices(StoryBatch batch) {
        int[] story = batch.story(), question = batch.question(), sl = batch.sentenceLength(), ql = batch.questionLength();
        long[] all = new long[story.length + question.length + sl.length + ql.length];
        int at = wordRows(story, story.length / batch.runs(), all, 0);
        at = wordRows(question, question.length / batch.runs(), all, at);
        at = lengthRows(sl, "sentence", all, at);
        lengthRows(ql, "question", all, at);
        return all;
    }

    /** Writes {@code ids} ({@code perRun} per run) as rows of the stacked tables into {@code into} from {@code at}; returns the end. */
    private int wordRows(int[] ids, int perRun, long[] into, int at) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= c.vocabulary())
                throw new IllegalArgumentException("word id " + ids[i] + " outside the vocabulary 0.." + (c.vocabulary() - 1));
            into[at + i] = (long) (i / perRun) * c.vocabulary() + ids[i];
        }
        return at + ids.length;
    }

    /** Writes sentence lengths (rows of the position table, {@code 0..J}) into {@code into} from {@code at}; returns the end. */
    private int lengthRows(int[] lengths, String what, long[] into, int at) {
        for (int i = 0; i < lengths.length; i++) {
            if (lengths[i] < 0 || lengths[i] > c.words())
                throw new IllegalArgumentException(what + " length " + lengths[i] + " outside 0.." + c.words() + " (words)");
            into[at + i] = lengths[i];
        }
        return at + lengths.length;
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
        int runs = batch.runs(), b = batch.batch();
        int[] answer = batch.answer();
        long[] a = new long[answer.length];
        for (int i = 0; i < a.length; i++) a[i] = answer[i];
        NDArray logp = logits.logSoftmax(-1).gather(m.create(a, new Shape(runs, b, 1)), -1);          // (R, B, 1)
        // the accuracy is counted on the host from the argmax (fewer engine operations than comparing there)
        long[] best = logits.argMax(-1).toLongArray();
        int[] right = new int[runs];
        for (int i = 0; i < best.length; i++) if (best[i] == answer[i]) right[i / b]++;
        float[] acc = new float[runs];
        for (int r = 0; r < runs; r++) acc[r] = (float) right[r] / b;
        return new Score(Scalars.div(logp.sum(new int[]{1, 2}), -b), acc);               // −mean over the batch (a cached constant: Scalars says why)
    }

    public Config config() { return c; }

    public ParamSet params() { return params; }
}
