package memlab.mixers;

import ai.djl.ndarray.NDManager;
import memlab.core.Check;
import memlab.diagnostics.Trace;
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
 * Two-layer hybrids on multi-query recall (the {@code dil-hybrid} figure): is a recurrent layer used
 * when full attention sits beside it? The essay "Why neural networks learn to ignore their own
 * memory" (citing Jamba) argues that a recurrent state adds little next to attention, which pools
 * the whole context, and that the layer placed first dominates.
 *
 * <p>Each {@link Hybrid} trains with its seeds batched; a {@link Trace} of {@link RecallProbe}
 * measures, every few steps, the gradient share reaching the recurrent layer's mixer and the loss
 * lost when its output is zeroed. At the end, held-out accuracy intact and with that layer zeroed.
 */
public final class HybridExperiment {
    private HybridExperiment() {}

    /**
     * A two-layer (or deeper) model and the layer whose output the ablation zeroes.
     *
     * @param name         legend name, e.g. {@code "attention → deltanet"}
     * @param layers       the mixer of each layer, first to last
     * @param zeroedLayer  the recurrent layer (from 0) whose mixer output is zeroed
     */
    public record Hybrid(String name, List<MixerSpec> layers, int zeroedLayer) {
        public Hybrid {
            Check.notNull("name", name);
            if (layers == null || layers.isEmpty()) throw new IllegalArgumentException("layers must list at least one mixer");
            layers = List.copyOf(layers);
            Check.inRange("zeroedLayer", zeroedLayer, 0, layers.size() - 1);
        }

        /** A hybrid named by its layers, e.g. {@code "attention → deltanet"}. */
        public static Hybrid of(int zeroedLayer, MixerSpec... layers) {
            StringBuilder n = new StringBuilder();
            for (MixerSpec m : layers) n.append(n.isEmpty() ? "" : " → ").append(m);
            return new Hybrid(n.toString(), List.of(layers), zeroedLayer);
        }
    }

    /**
     * The four hybrids of the figure, the DeltaNet zeroed in each: attention → DeltaNet (layer 2),
     * DeltaNet → attention (layer 1), DeltaNet → DeltaNet (layer 2, where attention → DeltaNet has
     * its DeltaNet), sliding window {@code window} → DeltaNet (layer 2).
     */
    public static List<Hybrid> standard(int heads, int window) {
        MixerSpec att = MixerSpec.attention(heads), delta = MixerSpec.deltaNet(heads), win = MixerSpec.slidingWindow(heads, window);
        return List.of(Hybrid.of(1, att, delta), Hybrid.of(0, delta, att), Hybrid.of(1, delta, delta), Hybrid.of(1, win, delta));
    }

    /**
     * One trained hybrid.
     *
     * @param accuracy        held-out accuracy of each seed
     * @param zeroedAccuracy  the same with the recurrent layer's output zeroed
     * @param steps           the steps the diagnostics were measured at
     * @param share           the recurrent layer's gradient share, {@code share[step][seed]}
     * @param deltaLoss       the loss added by zeroing the recurrent layer on the diagnostic batch, {@code [step][seed]}
     * @param seconds         wall time, diagnostics included
     */
    public record Result(Hybrid hybrid, long[] seeds, double[] accuracy, double[] zeroedAccuracy, List<Integer> steps,
                         double[][] share, double[][] deltaLoss, double seconds) {
        public Result {
            if (accuracy.length != seeds.length || zeroedAccuracy.length != seeds.length)
                throw new IllegalArgumentException("one accuracy per seed: " + seeds.length + " seeds, " + accuracy.length + " and " + zeroedAccuracy.length + " accuracies");
            if (share.length != steps.size() || deltaLoss.length != steps.size())
                throw new IllegalArgumentException("one row of share and deltaLoss per measured step: " + steps.size() + " steps");
            steps = List.copyOf(steps);
        }

        /** Per seed: accuracy intact minus accuracy with the recurrent layer zeroed. */
        public double[] drop() {
            double[] d = new double[accuracy.length];
            for (int i = 0; i < d.length; i++) d[i] = accuracy[i] - zeroedAccuracy[i];
            return d;
        }

        /** From a trace of {@link RecallProbe}: the share of the zeroed layer's mixer group and Δloss at every measured step. */
        static Result of(Hybrid hybrid, long[] seeds, double[] accuracy, double[] zeroedAccuracy, Trace trace, double seconds) {
            String group = RecallProbe.mixerGroup(hybrid.zeroedLayer());
            List<memlab.diagnostics.Diagnostics.Report> reports = trace.reports();
            double[][] share = new double[reports.size()][seeds.length], delta = new double[reports.size()][];
            for (int i = 0; i < reports.size(); i++) {
                for (int r = 0; r < seeds.length; r++) share[i][r] = reports.get(i).gradients().share(r, group);
                delta[i] = reports.get(i).deltaLoss();
            }
            return new Result(hybrid, seeds.clone(), accuracy, zeroedAccuracy, trace.steps(), share, delta, seconds);
        }
    }

    /**
     * Trains {@code hybrid} on the setup's task at model width {@code width}; the diagnostics run
     * every {@code traceEvery} steps and after the last on a fixed held-out batch of {@code setup.batch()} sequences.
     */
    public static Result train(RecallExperiment.Setup setup, Hybrid hybrid, int width, long[] seeds, int traceEvery) {
        return train(setup, hybrid, width, seeds, traceEvery, null);
    }

    static Result train(RecallExperiment.Setup setup, Hybrid hybrid, int width, long[] seeds, int traceEvery, Runnable afterStep) {
        if (seeds.length == 0) throw new IllegalArgumentException("seeds must not be empty");
        Check.positive("traceEvery", traceEvery);
        long t0 = System.nanoTime();
        MultiQueryRecall task = setup.task();
        try (NDManager base = NDManager.newBaseManager();
             SequenceModel model = new SequenceModel(base, setup.config(hybrid.layers(), width), seeds);
             Optimizer opt = Optimizer.adam(setup.lr()).clip(setup.clip()).forRuns(seeds.length)) {
            Trace trace = new Trace(new RecallProbe(model, hybrid.zeroedLayer(), task, setup.batch(), seeds, -1_000_000), traceEvery);
            for (int s = 0; s < setup.steps(); s++) {
                Interrupt.check();
                trace.maybeMeasure(s, base);
                RecallTraining.step(model, opt, task, setup.batch(), seeds, s);
                if (afterStep != null) afterStep.run();
            }
            trace.measure(setup.steps(), base);
            double[] acc = RecallExperiment.toDouble(RecallTraining.accuracy(model, task, setup.batch(), seeds, setup.evalBatches()));
            model.ablate(hybrid.zeroedLayer(), true);
            double[] zeroed = RecallExperiment.toDouble(RecallTraining.accuracy(model, task, setup.batch(), seeds, setup.evalBatches()));
            model.ablate(hybrid.zeroedLayer(), false);
            return Result.of(hybrid, seeds, acc, zeroed, trace, (System.nanoTime() - t0) / 1e9);
        }
    }

    /** Trains every hybrid in turn, with one progress line over all their steps. */
    public static List<Result> sweep(RecallExperiment.Setup setup, List<Hybrid> hybrids, int width, long[] seeds, int traceEvery) {
        Progress progress = Progress.start("dil-hybrid", hybrids.size() * setup.steps());
        int[] done = {0};
        List<Result> out = new ArrayList<>();
        for (Hybrid h : hybrids) out.add(train(setup, h, width, seeds, traceEvery, () -> progress.update(++done[0])));
        progress.finish();
        return out;
    }

    /** One row per hybrid and seed: {@code hybrid, seed, accuracy, zeroed_accuracy, accuracy_drop}. */
    public static Table ablationTable(List<Result> results) {
        StringColumn name = StringColumn.create("hybrid");
        LongColumn seed = LongColumn.create("seed");
        DoubleColumn acc = DoubleColumn.create("accuracy"), zeroed = DoubleColumn.create("zeroed_accuracy"), drop = DoubleColumn.create("accuracy_drop");
        for (Result r : results)
            for (int i = 0; i < r.seeds().length; i++) {
                name.append(r.hybrid().name());
                seed.append(r.seeds()[i]);
                acc.append(r.accuracy()[i]);
                zeroed.append(r.zeroedAccuracy()[i]);
                drop.append(r.drop()[i]);
            }
        return Table.create("dil-hybrid-ablation", name, seed, acc, zeroed, drop);
    }

    /** One row per hybrid, measured step and seed: {@code hybrid, step, seed, recurrent_grad_share, delta_loss}. */
    public static Table traceTable(List<Result> results) {
        StringColumn name = StringColumn.create("hybrid");
        IntColumn step = IntColumn.create("step");
        LongColumn seed = LongColumn.create("seed");
        DoubleColumn share = DoubleColumn.create("recurrent_grad_share"), delta = DoubleColumn.create("delta_loss");
        for (Result r : results) {
            for (int i = 0; i < r.steps().size(); i++)
                for (int k = 0; k < r.seeds().length; k++) {
                    name.append(r.hybrid().name());
                    step.append(r.steps().get(i));
                    seed.append(r.seeds()[k]);
                    share.append(r.share()[i][k]);
                    delta.append(r.deltaLoss()[i][k]);
                }
        }
        return Table.create("dil-hybrid-trace", name, step, seed, share, delta);
    }

    /** Total wall time of the results, in seconds. */
    public static double seconds(List<Result> results) {
        return results.stream().mapToDouble(Result::seconds).sum();
    }
}
