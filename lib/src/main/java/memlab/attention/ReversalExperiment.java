package memlab.attention;

import ai.djl.ndarray.NDManager;
import memlab.core.Check;
import memlab.tasks.SequenceReversal;
import memlab.train.Optimizer;
import memlab.train.ParamSet;

/**
 * One encoder–decoder trained on sequence reversal: a settings record, {@link #train} returning the
 * learning curves and the held-out accuracy of every run (one run per seed, batched).
 */
public final class ReversalExperiment {
    private ReversalExperiment() {}

    /**
     * @param attention  how the decoder sees the source
     * @param symbols    vocabulary size
     * @param length     source length
     * @param hidden     LSTM size (embedding and alignment sizes equal it)
     * @param batch      sequences per step
     * @param steps      training steps
     * @param lr         Adam learning rate
     * @param seeds      one run per seed
     */
    public record Setup(Attention attention, int symbols, int length, int hidden, int batch, int steps, double lr, long[] seeds) {
        public Setup {
            Check.oneOf("attention", attention, Attention.class);
            Check.positive("symbols", symbols);
            Check.positive("length", length);
            Check.positive("hidden", hidden);
            Check.positive("batch", batch);
            Check.positive("steps", steps);
            Check.positive("lr", lr);
            if (seeds == null || seeds.length == 0) throw new IllegalArgumentException("seeds must list at least one seed");
            seeds = seeds.clone();
        }
    }

    /**
     * @param loss      cross-entropy per symbol, {@code [step][run]}
     * @param accuracy  held-out symbol accuracy per run
     * @param exact     held-out rate of entirely right sequences per run
     */
    public record Result(Setup setup, float[][] loss, float[] accuracy, float[] exact) {}

    /** Trains one model of {@code setup.seeds().length} runs and evaluates it on 4 held-out batches. */
    public static Result train(Setup s) {
        try (NDManager m = NDManager.newBaseManager(); ParamSet params = new ParamSet(m, s.seeds().length);
             Optimizer opt = Optimizer.of(Optimizer.Rule.ADAM, filled(s.seeds().length, s.lr()))) {
            Seq2Seq model = new Seq2Seq(params, new Seq2Seq.Config(s.symbols(), s.hidden(), s.hidden(), s.hidden(), s.attention()), s.seeds());
            SequenceReversal task = new SequenceReversal(s.symbols(), s.length());
            Reinforce baseline = new Reinforce(s.seeds().length, 0.9);
            float[][] loss = new float[s.steps()][];
            for (int step = 0; step < s.steps(); step++) {
                memlab.notebook.Interrupt.check();
                loss[step] = ReversalTraining.step(model, opt, task, s.batch(), s.seeds(), step, baseline).loss();
            }
            float[][] acc = ReversalTraining.accuracy(model, task, s.batch(), s.seeds(), 4);
            return new Result(s, loss, acc[0], acc[1]);
        }
    }

    static double[] filled(int n, double v) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, v);
        return a;
    }
}
