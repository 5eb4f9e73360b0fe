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
            seeds = Check.seeds("seeds", seeds);
        }
    }

    /**
     * @param loss      cross-entropy per symbol, {@code [step][run]}
     * @param accuracy  held-out symbol accuracy per run
     * @param exact     held-out rate of entirely right sequences per run
     * @param source    the first held-out source sequence of the first run
     * @param alignment the trained first run's {@code α} on {@code source}, {@code [output step][source position]}
     *                  (most probable position for hard attention); null without attention
     */
    public record Result(Setup setup, float[][] loss, float[] accuracy, float[] exact, int[] source, float[][] alignment) {
        /** Each run's mean training loss over the last {@code steps} steps (NaN where a value is not finite). */
        public double[] finalLoss(int steps) {
            Check.positive("steps", steps);
            double[] out = new double[setup.seeds().length];
            int from = Math.max(0, loss.length - steps);
            for (int r = 0; r < out.length; r++) {
                double sum = 0;
                for (int t = from; t < loss.length; t++) sum += loss[t][r];
                out[r] = sum / (loss.length - from);
            }
            return out;
        }
    }

    /** One experiment per attention kind and source length, each with its seeds batched, in that order. */
    public static java.util.List<Result> sweep(Setup base, java.util.List<Attention> kinds, int[] lengths) {
        java.util.List<Result> out = new java.util.ArrayList<>();
        for (Attention a : kinds)
            for (int len : lengths)
                out.add(train(new Setup(a, base.symbols(), len, base.hidden(), base.batch(), base.steps(), base.lr(), base.seeds())));
        return out;
    }

    /** Held-out accuracy of every run of {@code results}: attention ({@code none}, {@code soft}, {@code hard}), length, seed, accuracy, exact. */
    public static tech.tablesaw.api.Table accuracyTable(java.util.List<Result> results) {
        var t = tech.tablesaw.api.Table.create("reversal-accuracy", tech.tablesaw.api.StringColumn.create("attention"),
                tech.tablesaw.api.IntColumn.create("length"), tech.tablesaw.api.LongColumn.create("seed"),
                tech.tablesaw.api.DoubleColumn.create("accuracy"), tech.tablesaw.api.DoubleColumn.create("exact"));
        for (Result res : results)
            for (int r = 0; r < res.setup().seeds().length; r++) {
                t.stringColumn("attention").append(res.setup().attention().name().toLowerCase(java.util.Locale.ROOT));
                t.intColumn("length").append(res.setup().length());
                t.longColumn("seed").append(res.setup().seeds()[r]);
                t.doubleColumn("accuracy").append(res.accuracy()[r]);
                t.doubleColumn("exact").append(res.exact()[r]);
            }
        return t;
    }

    /** Training loss of every run and step of {@code results}: attention, length, seed, step, loss. */
    public static tech.tablesaw.api.Table lossTable(java.util.List<Result> results) {
        var t = tech.tablesaw.api.Table.create("reversal-loss", tech.tablesaw.api.StringColumn.create("attention"),
                tech.tablesaw.api.IntColumn.create("length"), tech.tablesaw.api.LongColumn.create("seed"),
                tech.tablesaw.api.IntColumn.create("step"), tech.tablesaw.api.DoubleColumn.create("loss"));
        for (Result res : results)
            for (int step = 0; step < res.loss().length; step++)
                for (int r = 0; r < res.setup().seeds().length; r++) {
                    t.stringColumn("attention").append(res.setup().attention().name().toLowerCase(java.util.Locale.ROOT));
                    t.intColumn("length").append(res.setup().length());
                    t.longColumn("seed").append(res.setup().seeds()[r]);
                    t.intColumn("step").append(step);
                    t.doubleColumn("loss").append(res.loss()[step][r]);
                }
        return t;
    }

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
            int[] source = java.util.Arrays.copyOf(task.batch(s.batch(), s.seeds()[0], -1).sources(), s.length());
            return new Result(s, loss, acc[0], acc[1], source, alignment(model, task, s));
        }
    }

    /** The first run's alignment on the first sequence of held-out batch −1 (the one {@code source} holds). */
    private static float[][] alignment(Seq2Seq model, SequenceReversal task, Setup s) {
        if (s.attention() == Attention.NONE) return null;
        try (memlab.train.Step step = memlab.train.Step.open(model.params().manager(), model.params().arrays())) {
            ai.djl.ndarray.NDArray[] data = task.arrays(step.manager(), s.batch(), s.seeds(), -1);
            float[] a = model.forward(data[0], null).alignment().get("0, 0").toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
            float[][] out = new float[s.length()][s.length()];
            for (int t = 0; t < s.length(); t++) System.arraycopy(a, t * s.length(), out[t], 0, s.length());
            return out;
        }
    }

    static double[] filled(int n, double v) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, v);
        return a;
    }
}
