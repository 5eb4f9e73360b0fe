package memlab.mixers;

import ai.djl.ndarray.NDManager;
import memlab.core.Check;
import memlab.notebook.Interrupt;
import memlab.notebook.Progress;
import memlab.tasks.MultiQueryRecall;
import memlab.train.Optimizer;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.List;

/**
 * Associative recall against state size (the {@code dil-mqar} figure; Arora et al., "Zoology", 2024,
 * Fig. 2): {@link SequenceModel}s whose layers all use one mixer are trained on
 * {@link MultiQueryRecall} and scored on held-out batches; the x axis is the model's recurrent state
 * size ({@link SequenceModel#stateSize}), the y axis its recall accuracy.
 *
 * <p>One settings record ({@link Setup}), one model per {@link Point} (a mixer at a width); the seeds
 * of a point train as one batched model (the run dimension of {@link memlab.train.ParamSet}). Widths
 * change the parameters' shapes, so each width is a model of its own.
 */
public final class RecallExperiment {
    private RecallExperiment() {}

    /**
     * The task and the training, shared by every point.
     *
     * @param vocab       vocabulary V of the task
     * @param pairs       key–value pairs per sequence
     * @param length      sequence length T
     * @param layers      layers of the model, each with the point's mixer
     * @param shortConv   taps of the short convolution in front of each mixer (0: none)
     * @param batch       sequences per training step
     * @param steps       training steps (one fresh batch each)
     * @param lr          Adam's learning rate
     * @param clip        global gradient-norm clip
     * @param evalBatches held-out batches of {@code batch} sequences the accuracy is measured on
     */
    public record Setup(int vocab, int pairs, int length, int layers, int shortConv, int batch, int steps, double lr,
                        double clip, int evalBatches) {
        public Setup {
            Check.positive("layers", layers);
            Check.nonNegative("shortConv", shortConv);
            Check.positive("batch", batch);
            Check.positive("steps", steps);
            Check.positive("lr", lr);
            Check.positive("clip", clip);
            Check.positive("evalBatches", evalBatches);
            new MultiQueryRecall(vocab, pairs, length);   // fails fast on a vocabulary or length too small for the pairs
        }

        /** The task these settings train on. */
        public MultiQueryRecall task() {
            return new MultiQueryRecall(vocab, pairs, length);
        }

        /** The same settings with {@code steps} training steps. */
        public Setup withSteps(int steps) {
            return new Setup(vocab, pairs, length, layers, shortConv, batch, steps, lr, clip, evalBatches);
        }

        /** The model of {@code layers} given mixers at {@code width}. */
        SequenceModel.Config config(List<MixerSpec> mixers, int width) {
            return SequenceModel.Config.of(vocab, width, length, mixers).withShortConv(shortConv);
        }

        /** One line for verdicts and captions. */
        public String describe() {
            return String.format(java.util.Locale.ROOT, "MQAR V %d, %d pairs, T %d; %d layers%s; Adam %s, clip %s, batch %d, %d steps; accuracy on %d held-out sequences",
                    vocab, pairs, length, layers, shortConv > 0 ? ", short convolution " + shortConv : "",
                    memlab.stats.Numbers.compact(lr), memlab.stats.Numbers.compact(clip), batch, steps, evalBatches * batch);
        }
    }

    /** One model of the figure: every layer uses {@code mixer}, at model width {@code width}. */
    public record Point(MixerSpec mixer, int width) {
        public Point {
            Check.notNull("mixer", mixer);
            Check.positive("width", width);
            if (width % mixer.heads() != 0)
                throw new IllegalArgumentException("heads must divide width: width " + width + " is not a multiple of heads " + mixer.heads());
        }

        /** The family the point belongs to: a line of the figure (all windows are one family). */
        public String family() {
            return RecallExperiment.family(mixer);
        }

        /** E.g. {@code "window 8, width 32"}. */
        public String label() {
            return mixer + ", width " + width;
        }
    }

    /** The family of a mixer: {@code attention}, {@code sliding window}, {@code linear attention}, {@code deltanet}, {@code gated deltanet}. */
    public static String family(MixerSpec mixer) {
        return mixer.kind() == MixerSpec.Kind.SLIDING_WINDOW ? "sliding window" : mixer.toString();
    }

    /**
     * One trained point.
     *
     * @param stateSize  the model's state in numbers for one sequence of the task's length
     * @param accuracy   held-out accuracy of each seed
     * @param finalLoss  training loss of each seed on the last step
     * @param seconds    wall time of training and evaluation
     */
    public record Result(Point point, long stateSize, long[] seeds, double[] accuracy, double[] finalLoss, double seconds) {
        /** Mean accuracy over the finite seeds. */
        public double meanAccuracy() {
            return memlab.stats.Spread.of(accuracy).mean();
        }
    }

    /** Trains {@code point} with {@code seeds} as one batched model. */
    public static Result train(Setup setup, Point point, long[] seeds) {
        return train(setup, point, seeds, null);
    }

    /** As {@link #train(Setup, Point, long[])}, calling {@code afterStep} (may be null) after every step. */
    static Result train(Setup setup, Point point, long[] seeds, Runnable afterStep) {
        if (seeds.length == 0) throw new IllegalArgumentException("seeds must not be empty");
        long t0 = System.nanoTime();
        MultiQueryRecall task = setup.task();
        List<MixerSpec> mixers = java.util.Collections.nCopies(setup.layers(), point.mixer());
        try (NDManager base = NDManager.newBaseManager();
             SequenceModel model = new SequenceModel(base, setup.config(mixers, point.width()), seeds);
             Optimizer opt = Optimizer.adam(setup.lr()).clip(setup.clip()).forRuns(seeds.length)) {
            float[] last = new float[seeds.length];
            for (int s = 0; s < setup.steps(); s++) {
                Interrupt.check();
                last = RecallTraining.step(model, opt, task, setup.batch(), seeds, s).loss();
                if (afterStep != null) afterStep.run();
            }
            float[] acc = RecallTraining.accuracy(model, task, setup.batch(), seeds, setup.evalBatches());
            return new Result(point, model.stateSize(setup.length()), seeds.clone(), toDouble(acc), toDouble(last),
                    (System.nanoTime() - t0) / 1e9);
        }
    }

    /** Trains every point in turn, with one progress line over all their steps. */
    public static List<Result> sweep(Setup setup, List<Point> points, long[] seeds) {
        Progress progress = Progress.start("dil-mqar", points.size() * setup.steps());
        int[] done = {0};
        List<Result> out = new ArrayList<>();
        for (Point p : points) out.add(train(setup, p, seeds, () -> progress.update(++done[0])));
        progress.finish();
        return out;
    }

    /**
     * The figure's points for the given grids: sliding windows at {@code windowWidth}, and linear
     * attention, DeltaNet and Gated DeltaNet at each of {@code widths}; full attention at
     * {@code windowWidth} as the reference. Every mixer has {@code heads} heads.
     */
    public static List<Point> grid(int heads, int windowWidth, int[] windows, int[] widths) {
        List<Point> points = new ArrayList<>();
        points.add(new Point(MixerSpec.attention(heads), windowWidth));
        for (int w : windows) points.add(new Point(MixerSpec.slidingWindow(heads, w), windowWidth));
        for (MixerSpec m : List.of(MixerSpec.linearAttention(heads), MixerSpec.deltaNet(heads), MixerSpec.gatedDeltaNet(heads)))
            for (int d : widths) points.add(new Point(m, d));
        return points;
    }

    /** Long format, one row per point and seed: {@code family, mixer, width, state_size, seed, accuracy, final_loss}. */
    public static Table table(List<Result> results) {
        StringColumn family = StringColumn.create("family"), mixer = StringColumn.create("mixer");
        IntColumn width = IntColumn.create("width");
        LongColumn state = LongColumn.create("state_size"), seed = LongColumn.create("seed");
        DoubleColumn acc = DoubleColumn.create("accuracy"), loss = DoubleColumn.create("final_loss");
        for (Result r : results)
            for (int i = 0; i < r.seeds().length; i++) {
                family.append(r.point().family());
                mixer.append(r.point().mixer().toString());
                width.append(r.point().width());
                state.append(r.stateSize());
                seed.append(r.seeds()[i]);
                acc.append(r.accuracy()[i]);
                loss.append(r.finalLoss()[i]);
            }
        return Table.create("dil-mqar", family, mixer, width, state, seed, acc, loss);
    }

    /** Total wall time of the results, in seconds. */
    public static double seconds(List<Result> results) {
        return results.stream().mapToDouble(Result::seconds).sum();
    }

    static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }
}
