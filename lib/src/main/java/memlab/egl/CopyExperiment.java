package memlab.egl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import memlab.core.Check;
import memlab.stats.Spread;
import memlab.sweep.Cell;
import memlab.sweep.Sweep;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import memlab.tasks.CopyTask;
import memlab.train.Divergence;
import memlab.train.Optimizer;
import memlab.train.ParamSet;
import memlab.train.RunRecorder;
import memlab.train.Trainer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.nio.file.Path;

/**
 * Trains the {@link AttentionMemoryInterface} on the {@link CopyTask}, several runs as one batched
 * model: each run has its own seed, learning rate, clipping threshold and link switch.
 *
 * <p>Recorded per epoch and run: {@code loss} (MSE), {@code grad_norm} (global gradient norm before
 * clipping) and {@code link_grad_norm} = {@code sqrt(Σ_t ‖∂L/∂o_t‖²)}, the total norm of the read
 * gradients routed through the links (0 where the link is off).
 */
public final class CopyExperiment {
    /** Metric: total norm of the read gradients routed through links. */
    public static final String LINK_GRAD_NORM = "link_grad_norm";

    /**
     * When a run counts as diverged: NaN/Inf, or a loss above 100. Outputting zeros already scores
     * about 1 (the MSE of x ~ N(0, 1)), so a loss of 100 is an explosion, not slow learning.
     */
    public static final Divergence DIVERGED = new Divergence(100);

    /** Sizes and length of training. */
    public record Setup(int batch, int seqLen, int input, int memDim, int slots, int epochs) {
        public Setup {
            Check.positive("batch", batch);
            Check.positive("seqLen", seqLen);
            Check.positive("input", input);
            Check.positive("memDim", memDim);
            Check.positive("slots", slots);
            Check.positive("epochs", epochs);
        }

        /** The paper's setting: B 32, T 50, in 80, mem 160, S 100, 300 epochs. */
        public static Setup paper() { return new Setup(32, 50, 80, 160, 100, 300); }

        public Setup withEpochs(int epochs) { return new Setup(batch, seqLen, input, memDim, slots, epochs); }
    }

    /**
     * One run.
     *
     * @param rule          optimiser (all runs trained together must share it)
     * @param lr            learning rate, {@code > 0}
     * @param clip          global-norm clipping threshold; {@code +Infinity} = off
     * @param link          gradient link on
     * @param linkStopEpoch epoch from which the link is switched off ({@code >= 0}); -1 = never
     * @param seed          seed of weights, data and memory
     */
    public record Run(Optimizer.Rule rule, double lr, double clip, boolean link, int linkStopEpoch, long seed) {
        public Run {
            Check.oneOf("rule", rule, Optimizer.Rule.class);
            Check.positive("lr", lr);
            if (linkStopEpoch < -1)
                throw new IllegalArgumentException("linkStopEpoch must be -1 (never switched off) or an epoch >= 0, got " + linkStopEpoch);
            if (!(clip > 0)) throw new IllegalArgumentException("clip must be > 0 (+Infinity = off), got " + clip);
        }

        /** A run without a link stop. */
        public static Run of(Optimizer.Rule rule, double lr, double clip, boolean link, long seed) {
            return new Run(rule, lr, clip, link, -1, seed);
        }

        boolean linkedAt(int epoch) {
            return link && (linkStopEpoch < 0 || epoch < linkStopEpoch);
        }

        /** A short label, e.g. {@code adam 5e-4 link on}. */
        public String label() {
            return rule.name().toLowerCase() + " " + lr + (Double.isInfinite(clip) ? " noclip" : " clip " + clip)
                    + " link " + (link ? (linkStopEpoch >= 0 ? "on→off@" + linkStopEpoch : "on") : "off");
        }
    }

    /** Write and read attention of the first sequence of the batch, {@code [T][S]}, at one epoch. */
    public record Attention(int epoch, int run, float[][] write, float[][] read) {}

    /** Everything a training produced. */
    public record Result(List<Run> runs, RunRecorder recorder, List<Attention> attention) {
        /**
         * Per-epoch curves for plotting: columns {@code epoch}, {@code group} (the run's label without
         * its seed), {@code link} ({@code on}, {@code off} or {@code on until E}), {@code seed}, {@code loss}, {@code grad_norm}, {@code link_grad_norm}.
         */
        public Table curves() {
            Table t = recorder.table();
            StringColumn group = StringColumn.create("group");
            LongColumn seed = LongColumn.create("seed");
            for (int run : t.intColumn("run")) {
                group.append(runs.get(run).label());
                seed.append(runs.get(run).seed());
            }
            StringColumn link = StringColumn.create("link");
            for (int run : t.intColumn("run")) {
                Run r = runs.get(run);
                link.append(!r.link() ? "off" : r.linkStopEpoch() >= 0 ? "on until " + r.linkStopEpoch() : "on");
            }
            Table out = Table.create("egl-curves", t.intColumn("step").copy().setName("epoch"), group, link, seed);
            for (String metric : List.of(RunRecorder.LOSS, Trainer.GRAD_NORM, LINK_GRAD_NORM))
                out.addColumns(t.doubleColumn(metric).copy());
            return out;
        }

        /**
         * Spread over the seeds of runs labelled {@code group} of the loss averaged over the last
         * {@code lastEpochs} epochs (diverged runs count as non-finite and are left out of the spread).
         *
         * @param lastEpochs in {@code [1, epochs trained]}: more would average fewer epochs than asked
         */
        public Spread finalLoss(String group, int lastEpochs) {
            return Spread.of(finalLosses(group, lastEpochs));
        }

        /**
         * Per run labelled {@code group}, in run order, the loss averaged over the last {@code lastEpochs}
         * epochs; NaN for a diverged run.
         *
         * @param lastEpochs in {@code [1, epochs trained]}: more would average fewer epochs than asked
         */
        public double[] finalLosses(String group, int lastEpochs) {
            Table t = recorder.table();
            int trained = t.rowCount() == 0 ? 0 : (int) t.intColumn("step").max() + 1;
            if (lastEpochs < 1 || lastEpochs > trained)
                throw new IllegalArgumentException("lastEpochs must be in [1, " + trained + "] (the epochs trained), got " + lastEpochs);
            List<Double> perRun = new ArrayList<>();
            for (int r = 0; r < runs.size(); r++) {
                if (!runs.get(r).label().equals(group)) continue;
                int run = r;
                Table mine = t.where(t.intColumn("run").isEqualTo(run));
                int from = Math.max(0, mine.rowCount() - lastEpochs);
                double sum = 0;
                for (int i = from; i < mine.rowCount(); i++) sum += mine.doubleColumn(RunRecorder.LOSS).get(i);
                perRun.add(recorder.diverged(r) ? Double.NaN : sum / (mine.rowCount() - from));
            }
            if (perRun.isEmpty()) throw new IllegalArgumentException("no runs in group '" + group + "'; groups are " + groups());
            return perRun.stream().mapToDouble(Double::doubleValue).toArray();
        }

        /**
         * Spread over the seeds of runs labelled {@code group} of the loss averaged over epochs
         * {@code [epoch − window + 1, epoch]}.
         */
        public Spread lossAt(String group, int epoch, int window) {
            Check.positive("window", window);
            Table t = recorder.table();
            List<Double> perRun = new ArrayList<>();
            for (int r = 0; r < runs.size(); r++) {
                if (!runs.get(r).label().equals(group)) continue;
                Table mine = t.where(t.intColumn("run").isEqualTo(r).and(t.intColumn("step").isBetweenInclusive(epoch - window + 1, epoch)));
                perRun.add(mine.rowCount() == 0 ? Double.NaN : mine.doubleColumn(RunRecorder.LOSS).mean());
            }
            if (perRun.isEmpty()) throw new IllegalArgumentException("no runs in group '" + group + "'; groups are " + groups());
            return Spread.of(perRun.stream().mapToDouble(Double::doubleValue).toArray());
        }

        /** The per-epoch values of {@code metric} of run {@code run}, in epoch order. */
        public double[] series(int run, String metric) {
            Table t = recorder.table();
            return t.where(t.intColumn("run").isEqualTo(run)).sortAscendingOn("step").doubleColumn(metric).asDoubleArray();
        }

        /** The distinct run labels (groups), in run order. */
        public List<String> groups() {
            return runs.stream().map(Run::label).distinct().toList();
        }
    }

    private CopyExperiment() {}

    /**
     * Trains {@code runs} together for {@code setup.epochs()} epochs (one fresh batch each).
     *
     * @param attentionEpochs epochs whose attention maps are kept
     * @param listener        progress listener, may be null
     */
    public static Result train(Setup setup, List<Run> runs, int[] attentionEpochs, Trainer.Listener listener) {
        return train(setup, runs, attentionEpochs, listener, runs.size());
    }

    /**
     * Trains {@code runs} in groups of at most {@code maxBatch} runs, each group one batched model,
     * the groups one after another; the result holds all runs in order. At the paper's sizes one
     * run already fills the two cores (its step is ~90% arithmetic), so batching runs does not pay
     * there ({@code memlab.bench.EglBench} measures it); at small sizes it does.
     */
    public static Result train(Setup setup, List<Run> runs, int[] attentionEpochs, Trainer.Listener listener, int maxBatch) {
        if (runs.isEmpty()) throw new IllegalArgumentException("runs must not be empty");
        Check.positive("maxBatch", maxBatch);
        if (runs.size() > maxBatch) {
            List<RunRecorder> parts = new ArrayList<>();
            List<Attention> attention = new ArrayList<>();
            for (int from = 0; from < runs.size(); from += maxBatch) {
                memlab.notebook.Interrupt.check();
                Result part = trainTogether(setup, runs.subList(from, Math.min(runs.size(), from + maxBatch)), attentionEpochs, listener);
                parts.add(part.recorder());
                int offset = from;
                part.attention().forEach(a -> attention.add(new Attention(a.epoch(), a.run() + offset, a.write(), a.read())));
            }
            return new Result(List.copyOf(runs), RunRecorder.concat("egl", parts), attention);
        }
        return trainTogether(setup, runs, attentionEpochs, listener);
    }

    private static Result trainTogether(Setup setup, List<Run> runs, int[] attentionEpochs, Trainer.Listener listener) {
        Optimizer.Rule rule = runs.get(0).rule();
        if (runs.stream().anyMatch(r -> r.rule() != rule))
            throw new IllegalArgumentException("runs trained together must share the optimizer; got " + runs.stream().map(Run::rule).distinct().toList());
        int n = runs.size();
        long[] seeds = runs.stream().mapToLong(Run::seed).toArray();
        double[] lr = runs.stream().mapToDouble(Run::lr).toArray();
        double[] clip = runs.stream().mapToDouble(Run::clip).toArray();
        boolean anyLink = runs.stream().anyMatch(Run::link);
        CopyTask task = new CopyTask(setup.batch(), setup.seqLen(), setup.input());
        List<Attention> attention = new ArrayList<>();

        RunRecorder recorder = new RunRecorder("egl", n, DIVERGED);
        for (int r = 0; r < n; r++) {
            Run run = runs.get(r);
            recorder.meta(r, "optimizer", run.rule().name().toLowerCase()).meta(r, "lr", run.lr())
                    .meta(r, "clip", Double.isInfinite(run.clip()) ? "off" : String.valueOf(run.clip()))
                    .meta(r, "link", run.link()).meta(r, "link_stop", run.linkStopEpoch()).meta(r, "seed", run.seed());
        }
        try (NDManager base = NDManager.newBaseManager(memlab.core.Devices.choose());
             ParamSet params = new ParamSet(base, n);
             Optimizer opt = Optimizer.of(rule, lr).clip(clip)) {
            recorder.meta("setup", setup.toString()).meta("device", base.getDevice().toString());
            AttentionMemoryInterface model = new AttentionMemoryInterface(params, setup.input(), setup.memDim(), setup.slots(), seeds);
            Trainer.Objective objective = new Trainer.Objective() {
                NDArray probe;
                float[] mask;
                AttentionMemoryInterface.Pass pass;

                @Override
                public Map<String, NDArray> forward(NDManager m, int epoch) {
                    NDArray x = task.inputs(m, seeds, epoch);
                    NDArray memory = CopyTask.normals(m, seeds, "egl-memory", epoch, new Shape(setup.batch(), setup.slots(), setup.memDim()));
                    mask = new float[n];
                    for (int r = 0; r < n; r++) mask[r] = runs.get(r).linkedAt(epoch) ? 1f : 0f;
                    probe = m.zeros(new Shape(n, setup.batch(), setup.seqLen(), setup.memDim()));
                    probe.setRequiresGradient(true);
                    pass = model.forward(x, memory, anyLink ? m.create(mask) : null, probe);
                    NDArray loss = pass.output().sub(x).square().reshape(n, -1).mean(new int[]{1});
                    return Map.of(RunRecorder.LOSS, loss);
                }

                @Override
                public Map<String, NDArray> afterBackward(NDManager m, int epoch) {
                    NDArray g = probe.getGradient().reshape(n, -1);
                    return Map.of(LINK_GRAD_NORM, g.square().sum(new int[]{1}).sqrt().mul(m.create(mask)));
                }

                @Override
                public void afterUpdate(NDManager m, int epoch) {
                    if (Arrays.stream(attentionEpochs).noneMatch(e -> e == epoch)) return;
                    for (int r = 0; r < n; r++) {
                        NDIndex first = new NDIndex("{}, 0", r);
                        attention.add(new Attention(epoch, r, rows(pass.writeWeights().get(first)), rows(pass.readWeights().get(first))));
                    }
                }
            };
            Trainer.fit(params, opt, recorder, setup.epochs(), objective, listener);
        }
        return new Result(List.copyOf(runs), recorder, attention);
    }

    private static float[][] rows(NDArray a) {
        int t = (int) a.getShape().get(0), s = (int) a.getShape().get(1);
        float[] flat = a.toFloatArray();
        float[][] out = new float[t][];
        for (int i = 0; i < t; i++) out[i] = Arrays.copyOfRange(flat, i * s, (i + 1) * s);
        return out;
    }

    /**
     * The stability sweep ({@code egl-stability}): learning rate × clipping × link × seeds, each run
     * trained for {@code setup.epochs()} epochs; one result row per run with its final loss and
     * whether it diverged. Results are written to {@code resultsFile} as runs finish, and a rerun
     * skips the finished ones. Runs are trained {@code maxBatch} at a time as one batched model.
     *
     * @param clips clipping thresholds; {@code "off"} or a positive number as text
     * @throws memlab.sweep.FailedRunsException when runs ended with an error (an exception, not a
     *         divergence), naming the error; they run again on the next call, finished runs are kept.
     *         A failed run counted as "not diverged" would bias the stability verdict.
     */
    public static Table stability(Setup setup, Optimizer.Rule rule, double[] lrs, String[] clips, long[] seeds,
                                  Path resultsFile, int maxBatch, Trainer.Listener listener) {
        Sweep sweep = Sweep.builder("egl-stability")
                .axis("lr", Arrays.stream(lrs).boxed().toArray())
                .axis("clip", (Object[]) clips)
                .axis("link", "on", "off")
                // one-valued axes: results of another size or length (e.g. quick mode) are never reused
                .axis("size", setup.batch() + "x" + setup.seqLen() + "x" + setup.input() + "x" + setup.memDim() + "x" + setup.slots())
                .axis("epochs", setup.epochs())
                .seeds(seeds).resultsFile(resultsFile).build();
        Table results = sweep.runBatched(cells -> {
            List<Run> runs = cells.stream().map(c -> Run.of(rule, c.getDouble("lr"), parseClip(String.valueOf(c.get("clip"))),
                    "on".equals(String.valueOf(c.get("link"))), c.seed())).toList();
            Result result = train(setup, runs, new int[0], listener, runs.size());
            List<Map<String, Object>> rows = new ArrayList<>();
            for (int r = 0; r < runs.size(); r++) {
                Map<String, Object> row = summary(result, r);
                row.put("wall_s", result.recorder().wallSeconds() / runs.size());
                rows.add(row);
            }
            return rows;
        }, maxBatch);
        sweep.requireNoErrors();
        return results;
    }

    /**
     * Adds column {@code outcome} to a stability-sweep table: {@code diverged} for runs whose loss
     * became NaN/Inf, {@code error} for runs that failed, {@code stable} otherwise.
     */
    public static Table withOutcome(Table sweep) {
        StringColumn outcome = StringColumn.create("outcome");
        for (int i = 0; i < sweep.rowCount(); i++) {
            String status = sweep.containsColumn("status") ? sweep.column("status").getString(i) : "ok";
            boolean diverged = sweep.containsColumn("diverged") && "true".equalsIgnoreCase(sweep.column("diverged").getString(i));
            outcome.append(!"ok".equals(status) ? "error" : diverged ? "diverged" : "stable");
        }
        Table out = sweep.copy();
        if (out.containsColumn("outcome")) out.removeColumns("outcome");
        return out.addColumns(outcome);
    }

    /** {@code "off"} → +Infinity (no clipping), otherwise the number. */
    public static double parseClip(String clip) {
        if (clip.equalsIgnoreCase("off")) return Double.POSITIVE_INFINITY;
        try {
            return Double.parseDouble(clip);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("clip must be \"off\" or a positive number, got '" + clip + "'");
        }
    }

    /** Per-run final values as a map, for a sweep row. */
    public static Map<String, Object> summary(Result result, int r) {
        Map<String, Object> row = new LinkedHashMap<>();
        RunRecorder rec = result.recorder();
        row.put("final_loss", rec.last(r, RunRecorder.LOSS));
        row.put("diverged", rec.diverged(r));
        row.put("diverged_at", rec.divergedAt(r));
        row.put("max_grad_norm", rec.table().where(rec.table().intColumn("run").isEqualTo(r)).doubleColumn(Trainer.GRAD_NORM).max());
        return row;
    }
}
