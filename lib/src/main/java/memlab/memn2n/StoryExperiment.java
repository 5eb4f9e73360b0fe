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
            Check.positive("embedding", embedding);
            Check.positive("hops", hops);
            Check.positive("batch", batch);
            Check.positive("steps", steps);
            Check.positive("lr", lr);
            if (seeds == null || seeds.length == 0) throw new IllegalArgumentException("seeds must list at least one seed");
            seeds = seeds.clone();
        }
    }

    /** Words per sentence or question the encoding pads to: the longest any task writes. */
    public static final int WORDS = 7;

    /**
     * @param loss     cross-entropy of the answer, {@code [step][run]}
     * @param accuracy held-out answer accuracy per run
     */
    public record Result(Setup setup, float[][] loss, float[] accuracy) {}

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
            return new Result(s, loss, StoryTraining.accuracy(model, task, vocabulary, s.batch(), s.seeds(), 8));
        }
    }
}
