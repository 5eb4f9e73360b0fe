package memlab.memn2n;

import ai.djl.ndarray.NDManager;
import memlab.core.Check;
import memlab.tasks.BabiStories;
import memlab.tasks.BabiTask;
import memlab.tasks.Vocabulary;
import memlab.train.Optimizer;
import memlab.train.ParamSet;

/**
 * One memory network trained on one bAbI-style task: a settings record, {@link #train} returning the
 * learning curves and held-out accuracy of every run (one run per seed, batched).
 */
public final class StoryExperiment {
    private StoryExperiment() {}

    /**
     * @param task       the question type
     * @param sentences  sentences per story (the memory holds them all)
     * @param embedding  d
     * @param hops       K
     * @param positionEncoding position encoding (else bag of words)
     * @param temporalEncoding temporal encoding
     * @param batch      stories per step
     * @param steps      training steps
     * @param lr         Adam learning rate
     * @param seeds      one run per seed
     */
    public record Setup(BabiTask task, int sentences, int embedding, int hops, boolean positionEncoding, boolean temporalEncoding,
                        int batch, int steps, double lr, long[] seeds) {
        public Setup {
            Check.oneOf("task", task, BabiTask.class);
            Check.positive("sentences", sentences);
            Check.positive("embedding", embedding);
            Check.positive("hops", hops);
            Check.positive("batch", batch);
            Check.positive("steps", steps);
            Check.positive("lr", lr);
            seeds = Check.seeds("seeds", seeds);
        }
    }

    /** Words per sentence or question the encoding pads to: the longest any task writes. */
    public static final int WORDS = 7;

    /**
     * @param loss      cross-entropy of the answer, {@code [step][run]}
     * @param accuracy  held-out answer accuracy per run
     * @param example   the first held-out story of the first run
     * @param attention the trained first run's attention on {@code example}, {@code [hop][sentence]}, sentences in story
     *                  order (the memory holds them most recent first; sentences beyond the memory get none)
     */
    public record Result(Setup setup, float[][] loss, float[] accuracy, memlab.tasks.Story example, float[][] attention) {}

    /** One experiment per task and number of hops, each with its seeds batched, in that order. */
    public static java.util.List<Result> sweep(Setup base, java.util.List<BabiTask> tasks, int[] hops) {
        java.util.List<Result> out = new java.util.ArrayList<>();
        for (BabiTask t : tasks)
            for (int k : hops)
                out.add(train(new Setup(t, Math.max(base.sentences(), t.minSentences()), base.embedding(), k, base.positionEncoding(),
                        base.temporalEncoding(), base.batch(), base.steps(), base.lr(), base.seeds())));
        return out;
    }

    /** Held-out accuracy of every run of {@code results}: task, hops, seed, accuracy. */
    public static tech.tablesaw.api.Table accuracyTable(java.util.List<Result> results) {
        var t = tech.tablesaw.api.Table.create("memn2n-accuracy", tech.tablesaw.api.StringColumn.create("task"),
                tech.tablesaw.api.IntColumn.create("hops"), tech.tablesaw.api.LongColumn.create("seed"), tech.tablesaw.api.DoubleColumn.create("accuracy"));
        for (Result res : results)
            for (int r = 0; r < res.setup().seeds().length; r++) {
                t.stringColumn("task").append(res.setup().task().id());
                t.intColumn("hops").append(res.setup().hops());
                t.longColumn("seed").append(res.setup().seeds()[r]);
                t.doubleColumn("accuracy").append(res.accuracy()[r]);
            }
        return t;
    }

    /** Trains one model of {@code setup.seeds().length} runs and evaluates it on 8 held-out batches. */
    public static Result train(Setup s) {
        BabiStories task = new BabiStories(s.task(), s.sentences());
        Vocabulary vocabulary = Vocabulary.babi();
        double[] lr = new double[s.seeds().length];
        java.util.Arrays.fill(lr, s.lr());
        try (NDManager m = NDManager.newBaseManager(); ParamSet params = new ParamSet(m, s.seeds().length);
             Optimizer opt = Optimizer.of(Optimizer.Rule.ADAM, lr)) {
            MemN2N model = new MemN2N(params, new MemN2N.Config(vocabulary.size(), s.embedding(), s.sentences(), WORDS, s.hops(),
                    s.positionEncoding(), s.temporalEncoding()), s.seeds());
            float[][] loss = new float[s.steps()][];
            for (int step = 0; step < s.steps(); step++) {
                memlab.notebook.Interrupt.check();
                loss[step] = StoryTraining.step(model, opt, task, vocabulary, s.batch(), s.seeds(), step).loss();
            }
            float[] acc = StoryTraining.accuracy(model, task, vocabulary, s.batch(), s.seeds(), 8);
            memlab.tasks.Story example = task.stories(s.batch(), s.seeds()[0], -1).get(0);
            return new Result(s, loss, acc, example, attention(model, task, vocabulary, s, example));
        }
    }

    /** The first run's attention of every hop over {@code example}'s sentences (the first story of held-out batch −1). */
    private static float[][] attention(MemN2N model, BabiStories task, Vocabulary vocabulary, Setup s, memlab.tasks.Story example) {
        memlab.tasks.StoryBatch data = StoryTraining.batch(model, task, vocabulary, s.batch(), s.seeds(), -1);
        try (memlab.train.Step step = memlab.train.Step.open(model.params().manager(), model.params().arrays())) {
            float[] a = model.forward(data, step.manager()).attention().get("0, 0").toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
            int n = example.sentences().size(), slots = s.sentences();
            float[][] out = new float[s.hops()][n];
            for (int k = 0; k < s.hops(); k++)
                for (int slot = 0; slot < Math.min(slots, n); slot++) out[k][n - 1 - slot] = a[k * slots + slot];
            return out;
        }
    }
}
