package memlab.ephemeral;

import memlab.core.Check;
import memlab.core.Params;
import memlab.sweep.Cell;
import memlab.sweep.CheckedCsv;
import memlab.sweep.FailedRunsException;
import memlab.sweep.Sweep;
import memlab.tasks.chars.CharTask;
import memlab.tasks.chars.KeyRecall;
import memlab.tasks.chars.RepeatedSequence;
import memlab.tasks.chars.ReversedSequence;
import memlab.train.RunRecorder;
import memlab.train.Trainer;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One method per figure of the ephemeral-weights paper (ids of FIGURES.md §2), each returning
 * tablesaw tables: per-step curves ({@code run, step, loss, accuracy, memory_accuracy,
 * grad_norm_high, grad_norm_low, grad_ratio, ephemeral_max} plus a {@code label}) and/or per-run
 * results.
 *
 * <p><b>Scale</b>: {@link Scale#paper()} uses the paper's network (hidden 256, fraction 0.1,
 * γ 0.7, lr 1e-4, α 1e4/1e5). The paper does not state its number of steps or its batch size;
 * paper mode uses {@code steps} steps of {@code batch} sequences per run (defaults 2000 × 4,
 * overridable with {@code MEMLAB_EPH_STEPS}, {@code MEMLAB_EPH_BATCH}). Quick mode (tests, smoke
 * runs) scales down to hidden 32, 20 steps, 2 samples and a 2 × 2 sweep grid. Long mode ({@link LongBudget})
 * trains eph-sweep (on {@link SweepGrid#around a sub-grid}), eph-volatility and eph-gradnorms for 100 000
 * steps as resumable {@link LongTraining}s; {@link StabilityOverBudget} reads the sweep at every budget on the way.
 */
public final class EphemeralExperiment {
    private EphemeralExperiment() {}

    /**
     * How many last steps a "final" value averages ({@link RunRecorder#tailMean}): 5% of the run,
     * at least 1. One step is B short sequences, too few predictions to judge a run by.
     */
    public static int tail(int steps) {
        return Math.max(1, steps / 20);
    }

    /**
     * Sizes and lengths.
     *
     * @param hidden  hidden units
     * @param batch   sequences per step and run
     * @param steps   training steps
     * @param samples seeds per setting
     */
    public record Scale(int hidden, int batch, int steps, int samples) {
        public Scale {
            Check.positive("hidden", hidden);
            Check.positive("batch", batch);
            Check.positive("steps", steps);
            Check.positive("samples", samples);
        }

        /** From {@link Params}: quick or paper mode, each value overridable ({@code eph-hidden, eph-batch, eph-steps, eph-samples}). */
        public static Scale fromParams() {
            return new Scale(Params.integer("eph-hidden", 32, 256), Params.integer("eph-batch", 2, 4),
                    Params.integer("eph-steps", 20, 2000), Params.integer("eph-samples", 2, 10));
        }

        /** The paper's network with the step count and batch chosen here (paper leaves them open). */
        public static Scale paper() { return new Scale(256, 4, 2000, 10); }

        /** A smoke-test scale. */
        public static Scale quick() { return new Scale(32, 2, 20, 2); }

        long[] seeds() {
            long[] s = new long[samples];
            for (int i = 0; i < samples; i++) s[i] = i;
            return s;
        }
    }

    /**
     * Long mode: eph-sweep (on {@link SweepGrid#around(Scale, LongBudget) a sub-grid around the paper's
     * boundary}), eph-volatility and eph-gradnorms trained for {@code steps} steps as resumable
     * {@link LongTraining}s, metrics kept as means over {@code stride} steps, a checkpoint every
     * {@code every} steps in {@code dir} (one file per batched model; delete them to start afresh).
     *
     * @param samples seeds per setting (fewer than paper mode's 10: the budget is spent on length)
     */
    public record LongBudget(int steps, int stride, int every, int samples, Path dir) {
        public LongBudget {
            Check.positive("steps", steps);
            Check.positive("stride", stride);
            Check.positive("every", every);
            Check.positive("samples", samples);
            Check.notNull("dir", dir);
            if (steps % stride != 0 || every % stride != 0)
                throw new IllegalArgumentException("steps (" + steps + ") and every (" + every + ") must be multiples of stride (" + stride + ")");
        }

        /**
         * From {@link Params} ({@code eph-long-steps} 100 000, {@code eph-long-stride} 100, {@code eph-long-every}
         * 5000, {@code eph-long-samples} 3 in long mode), checkpoints under {@code <out>/checkpoints}.
         */
        public static LongBudget fromParams() {
            return new LongBudget(Params.integer("eph-long-steps", 40, 2000, 100_000), Params.integer("eph-long-stride", 2, 20, 100),
                    Params.integer("eph-long-every", 20, 1000, 5000), Params.integer("eph-long-samples", 2, 3, 3), Params.outDir().resolve("checkpoints"));
        }

        /** {@code s} with this budget's steps and samples. */
        public Scale scale(Scale s) { return new Scale(s.hidden(), s.batch(), steps, samples); }

        /** The checkpointed plan of the batched model called {@code id}. */
        LongTraining.Plan plan(String id) { return new LongTraining.Plan(steps, stride, every, dir.resolve(id + ".ckpt")); }

        /** Recorded rows per {@code n} steps (at least 1): windows of the read-back classes count rows. */
        public int rows(int n) { return Math.max(1, n / stride); }
    }

    /** A labelled group of runs sharing one model configuration. */
    record Group(String label, ModelConfig config, List<RunConfig> runs) {}

    /** Trains each group as one batched model; concatenates the per-step tables with {@code label} and {@code task} columns. */
    static Table curves(String name, CharTask task, List<Group> groups, int steps, Trainer.Listener listener) {
        return curves(name, task, groups, steps, null, listener);
    }

    /**
     * As {@link #curves(String, CharTask, List, int, Trainer.Listener)}; with a {@code longBudget} each
     * group trains for its steps as a resumable {@link LongTraining} (rows = block means) instead.
     */
    static Table curves(String name, CharTask task, List<Group> groups, int steps, LongBudget longBudget, Trainer.Listener listener) {
        Table all = null;
        for (Group g : groups) {
            Table t;
            java.util.function.IntPredicate diverged;
            if (longBudget == null) {
                RunRecorder rec = EphemeralTraining.train(name, task, g.config(), g.runs(), steps, EphemeralTraining.EXPLODED, listener).recorder();
                t = rec.table();
                diverged = rec::diverged;
            } else {
                MetricLog log = LongTraining.train(name, task, g.config(), g.runs(), longBudget.plan(name + "-" + task.name() + "-" + g.label()),
                        EphemeralTraining.EXPLODED, listener).log();
                t = log.table();
                diverged = log::diverged;
            }
            String[] labels = new String[t.rowCount()];
            double[] lr = new double[t.rowCount()], alpha = new double[t.rowCount()], seed = new double[t.rowCount()];
            for (int i = 0; i < t.rowCount(); i++) {
                RunConfig rc = g.runs().get(t.intColumn("run").getInt(i));
                labels[i] = g.label() + " lr " + rc.lr() + (rc.fraction() > 0 ? " α " + rc.plasticity() + " γ " + rc.forgetRate() : "");
                lr[i] = rc.lr();
                alpha[i] = rc.plasticity();
                seed[i] = rc.seed();
            }
            t.addColumns(StringColumn.create("task", java.util.Collections.nCopies(t.rowCount(), task.name())),
                    StringColumn.create("label", labels), DoubleColumn.create("lr", lr), DoubleColumn.create("plasticity", alpha),
                    DoubleColumn.create("seed", seed));
            t.addColumns(StringColumn.create("diverged", t.intColumn("run").asList().stream().map(r0 -> String.valueOf(diverged.test(r0))).toList()));
            if (all == null) all = t.copy().setName(name);
            else all.append(t);
        }
        return all;
    }

    private static List<RunConfig> seeded(RunConfig base, long[] seeds) {
        return java.util.Arrays.stream(seeds).mapToObj(base::withSeed).toList();
    }

    /**
     * eph-curves (Fig. 2): baseline RNN (BPTT, lr 1e-4 and 1e-3) vs the ephemeral model (DFA, lr 1e-4,
     * α 1e4, γ ∈ {0.5, 0.7, 0.9}), on key-recall and repeated sequences.
     */
    public static Table ephCurves(Scale s, Trainer.Listener listener) {
        Table all = null;
        for (CharTask task : List.of(KeyRecall.paper(), RepeatedSequence.paper())) {
            List<RunConfig> rnn = new ArrayList<>(), eph = new ArrayList<>();
            for (double lr : new double[]{1e-4, 1e-3}) rnn.addAll(seeded(RunConfig.baseline(0, lr), s.seeds()));
            for (double g : new double[]{0.5, 0.7, 0.9}) eph.addAll(seeded(RunConfig.ephemeral(0, 1e-4, 1e4, 0.1, g), s.seeds()));
            Table t = curves("eph-curves", task, List.of(new Group("rnn", ModelConfig.rnn(s.hidden(), s.batch()), rnn),
                    new Group("ephemeral", ModelConfig.ephemeral(s.hidden(), s.batch()), eph)), s.steps(), listener);
            if (all == null) all = t;
            else all.append(t);
        }
        return all;
    }

    /** eph-volatility (Figs. 3–4): palindromes; baseline RNN (BPTT, lr 1e-3) vs ephemeral DFA at α ∈ {1e4, 3e4, 1e5}. */
    public static Table ephVolatility(Scale s, Trainer.Listener listener) {
        return ephVolatility(s, null, listener);
    }

    /** eph-volatility with a {@link LongBudget} (its steps and samples replace {@code s}'s), or, with null, at scale {@code s}. */
    public static Table ephVolatility(Scale s, LongBudget longBudget, Trainer.Listener listener) {
        if (longBudget != null) s = longBudget.scale(s);
        List<RunConfig> eph = new ArrayList<>();
        for (double a : new double[]{1e4, 3e4, 1e5}) eph.addAll(seeded(RunConfig.ephemeral(0, 1e-4, a, 0.1, 0.7), s.seeds()));
        return curves("eph-volatility", ReversedSequence.palindromes(), List.of(
                new Group("rnn", ModelConfig.rnn(s.hidden(), s.batch()), seeded(RunConfig.baseline(0, 1e-3), s.seeds())),
                new Group("ephemeral", ModelConfig.ephemeral(s.hidden(), s.batch()), eph)), s.steps(), longBudget, listener);
    }

    /**
     * The eph-sweep grid: base lr × plasticity × samples on 3-character reversed sequences, all runs
     * of the ephemeral model (DFA, fraction 0.1, γ 0.7) trained as one batched model.
     */
    public record SweepGrid(double[] lrs, double[] plasticities, int samples, double fraction, double forgetRate, ModelConfig model, int steps) {
        /** The same ranges as {@link RunConfig#ephemeral}, checked here so a bad grid fails before any run. */
        public SweepGrid {
            Check.allPositive("lrs", Check.nonEmpty("lrs", lrs));
            for (double a : Check.nonEmpty("plasticities", plasticities))
                if (!(a >= 1) || Double.isInfinite(a))
                    throw new IllegalArgumentException("plasticities must all be finite numbers >= 1, got " + java.util.Arrays.toString(plasticities));
            Check.positive("samples", samples);
            Check.inRange("fraction", fraction, 0, 1);
            if (!(forgetRate > 0 && forgetRate <= 1))
                throw new IllegalArgumentException("forgetRate (γ, the factor kept per update) must be in (0, 1], got " + forgetRate);
            Check.notNull("model", model);
            Check.positive("steps", steps);
        }

        /** The runs, lr slowest, then plasticity, then seed. */
        public List<RunConfig> runs() {
            List<RunConfig> out = new ArrayList<>();
            for (double lr : lrs)
                for (double a : plasticities)
                    for (int k = 0; k < samples; k++) out.add(RunConfig.ephemeral(k, lr, a, fraction, forgetRate));
            return out;
        }

        /** 5 base lrs (2.5e-5..4e-4, ×2) × 5 plasticities (1e3..1e5) × 10 samples = 250 runs. */
        public static SweepGrid paper() {
            return new SweepGrid(new double[]{2.5e-5, 5e-5, 1e-4, 2e-4, 4e-4}, new double[]{1e3, 3e3, 1e4, 3e4, 1e5}, 10, 0.1, 0.7,
                    ModelConfig.ephemeral(256, 4), 2000);
        }

        /**
         * The long-mode grid: the base lrs 5e-5..4e-4 (×2) × plasticities 1e4, 3e4, 1e5 around the
         * paper's boundary (its Fig. 6: lr 1e-4 stable and 2e-4 exploding at α 1e5), the budget's seeds
         * and steps, the network of {@code s}. 4 × 3 × 3 = 36 runs: the 250-run grid would not fit 100 000
         * steps into a few hours on 2 cores.
         */
        public static SweepGrid around(Scale s, LongBudget b) {
            SweepGrid p = paper();
            return new SweepGrid(new double[]{5e-5, 1e-4, 2e-4, 4e-4}, new double[]{1e4, 3e4, 1e5}, b.samples(), p.fraction, p.forgetRate,
                    ModelConfig.ephemeral(s.hidden(), s.batch()), b.steps());
        }

        /** The grid at scale {@code s}: quick mode uses 2 lrs × 2 plasticities. */
        public static SweepGrid of(Scale s) {
            SweepGrid p = paper();
            boolean small = s.hidden() < 256 && Params.quick();
            return new SweepGrid(small ? new double[]{1e-4, 4e-4} : p.lrs, small ? new double[]{1e4, 1e5} : p.plasticities, s.samples(),
                    p.fraction, p.forgetRate, ModelConfig.ephemeral(s.hidden(), s.batch()), s.steps());
        }
    }

    /**
     * What eph-sweep produced: one row per run ({@code results}), the per-step curves of those runs
     * (columns {@code run, step, loss, grad_ratio}, {@code run} = row of {@code results}) and, per
     * run, the step it exploded at or -1.
     */
    public record SweepResult(Table results, Table curves, int[] divergedAt) {}

    /**
     * eph-sweep (Figs. 5, 7): stable = final loss &lt; 2 (final = {@link #tail} mean). Results go
     * through {@link Sweep} (written as they finish, resumed from {@code resultsFile}); columns
     * {@code lr, plasticity, seed, final_loss, final_accuracy, final_memory_accuracy, stable,
     * diverged, diverged_at}. The per-step curves (for eph-warning) are kept beside it in
     * {@code <resultsFile>-curves-h<hidden>-b<batch>-s<steps>.csv} (a {@link CheckedCsv}: a torn row
     * is left out, with a message), so a resumed sweep still has them.
     *
     * @throws FailedRunsException when runs ended with an error (all runs are one batched model, so
     *         one exception fails them all): the message gives the error; they run again on the next call
     */
    public static SweepResult ephSweep(SweepGrid grid, Path resultsFile, Trainer.Listener listener) {
        Object[] lrs = java.util.Arrays.stream(grid.lrs()).boxed().toArray();
        Object[] as = java.util.Arrays.stream(grid.plasticities()).boxed().toArray();
        long[] seeds = new long[grid.samples()];
        for (int i = 0; i < seeds.length; i++) seeds[i] = i;
        Sweep sweep = Sweep.builder("eph-sweep").axis("lr", lrs).axis("plasticity", as)
                // one-valued axes: results of another network size or length (e.g. quick mode) are never reused
                .axis("hidden", grid.model().hidden()).axis("batch", grid.model().batch()).axis("steps", grid.steps())
                .seeds(seeds).resultsFile(resultsFile).build();
        // curves of other network sizes or lengths sharing the results file go to files of their own
        Path curvesFile = resultsFile.resolveSibling(resultsFile.getFileName().toString().replaceFirst("\\.csv$", "")
                + "-curves-h" + grid.model().hidden() + "-b" + grid.model().batch() + "-s" + grid.steps() + ".csv");
        Table results = sweep.runBatched(cells -> {
            List<RunConfig> runs = cells.stream().map(c -> RunConfig.ephemeral(c.seed(), c.getDouble("lr"), c.getDouble("plasticity"),
                    grid.fraction(), grid.forgetRate())).toList();
            EphemeralTraining.Result r = EphemeralTraining.train("eph-sweep", ReversedSequence.threeChar(), grid.model(), runs, grid.steps(),
                    EphemeralTraining.EXPLODED, listener);
            RunRecorder rec = r.recorder();
            int k = tail(grid.steps());
            appendCurves(curvesFile, cells, rec.table());
            List<Map<String, Object>> rows = new ArrayList<>();
            for (int i = 0; i < cells.size(); i++) {
                Map<String, Object> row = new LinkedHashMap<>();
                double loss = rec.tailMean(i, RunRecorder.LOSS, k);
                row.put("final_loss", loss);
                row.put("final_accuracy", rec.tailMean(i, EphemeralNet.ACCURACY, k));
                row.put("final_memory_accuracy", rec.tailMean(i, EphemeralNet.MEMORY_ACCURACY, k));
                row.put("stable", loss < 2 && !rec.diverged(i));
                row.put("diverged", rec.diverged(i));
                row.put("diverged_at", rec.divergedAt(i));
                rows.add(row);
            }
            return rows;
        }, Integer.MAX_VALUE);
        sweep.requireNoErrors();   // an errored run has no result columns: say so here, not as a missing column later
        // numbers as doubles whatever type the CSV reader guessed (1000.0 may come back as an integer column)
        for (String c : List.of("lr", "plasticity", "seed", "final_loss", "final_accuracy", "final_memory_accuracy", "diverged_at"))
            if (results.containsColumn(c) && results.column(c) instanceof tech.tablesaw.api.NumericColumn<?> n && !(n instanceof DoubleColumn))
                results.replaceColumn(c, n.asDoubleColumn().setName(c));
        // join the curves to the result rows by (lr, plasticity, seed): run i = row i of results
        Map<String, Integer> index = new LinkedHashMap<>();
        int[] divergedAt = new int[results.rowCount()];
        for (int i = 0; i < results.rowCount(); i++) {
            index.put(key(results, i), i);
            divergedAt[i] = (int) Double.parseDouble(results.getString(i, "diverged_at"));
        }
        // a batch trained again after an interrupted save appends the same (deterministic) rows once more
        Table curves = readCurves(curvesFile).dropDuplicateRows();
        int[] run = new int[curves.rowCount()];
        for (int i = 0; i < run.length; i++) run[i] = index.getOrDefault(key(curves, i), -1);
        curves.addColumns(tech.tablesaw.api.IntColumn.create("run", run));
        return new SweepResult(results, curves.where(curves.intColumn("run").isGreaterThanOrEqualTo(0)), divergedAt);
    }

    /**
     * eph-sweep at a long budget: the runs of {@code grid} as one resumable {@link LongTraining}
     * (checkpoint {@code <dir>/eph-sweep.ckpt}). The same {@link SweepResult} as {@link #ephSweep}, with
     * the curves as block means ({@code run, step, loss, grad_ratio, memory_accuracy}; step = the block's
     * last step) and the final values over the last 5% of the steps' blocks.
     */
    public static SweepResult ephSweepLong(SweepGrid grid, LongBudget budget, Trainer.Listener listener) {
        if (grid.steps() != budget.steps())
            throw new IllegalArgumentException("grid has " + grid.steps() + " steps, the long budget " + budget.steps() + ": use SweepGrid.around(scale, budget)");
        List<RunConfig> runs = grid.runs();
        MetricLog log = LongTraining.train("eph-sweep", ReversedSequence.threeChar(), grid.model(), runs, budget.plan("eph-sweep"),
                EphemeralTraining.EXPLODED, listener).log();
        Table results = finalValues("eph-sweep", runs, log, grid.steps());
        Table t = log.table();
        Table curves = t.selectColumns("run", "step", RunRecorder.LOSS, EphemeralNet.GRAD_RATIO, EphemeralNet.MEMORY_ACCURACY);
        return new SweepResult(results, curves, log.divergedAt());
    }

    /**
     * One row per run of a long training: {@code lr, plasticity, seed, forget_rate, fraction}, the final
     * ({@link #tail} of {@code steps}) {@code final_loss, final_accuracy, final_memory_accuracy}, and
     * {@code stable} (final loss &lt; 2, not diverged), {@code diverged}, {@code diverged_at}.
     */
    static Table finalValues(String name, List<RunConfig> runs, MetricLog log, int steps) {
        int k = tail(steps), n = runs.size();
        double[] lr = new double[n], a = new double[n], seed = new double[n], gamma = new double[n], frac = new double[n], loss = new double[n],
                acc = new double[n], mem = new double[n], at = new double[n];
        String[] stable = new String[n], div = new String[n];
        for (int i = 0; i < n; i++) {
            RunConfig rc = runs.get(i);
            lr[i] = rc.lr();
            a[i] = rc.plasticity();
            seed[i] = rc.seed();
            gamma[i] = rc.forgetRate();
            frac[i] = rc.fraction();
            loss[i] = log.tailMean(i, RunRecorder.LOSS, k);
            acc[i] = log.tailMean(i, EphemeralNet.ACCURACY, k);
            mem[i] = log.tailMean(i, EphemeralNet.MEMORY_ACCURACY, k);
            div[i] = String.valueOf(log.diverged(i));
            stable[i] = String.valueOf(loss[i] < 2 && !log.diverged(i));
            at[i] = log.divergedAt(i);
        }
        return Table.create(name, DoubleColumn.create("lr", lr), DoubleColumn.create("plasticity", a), DoubleColumn.create("seed", seed),
                DoubleColumn.create("forget_rate", gamma), DoubleColumn.create("fraction", frac),
                DoubleColumn.create("final_loss", loss), DoubleColumn.create("final_accuracy", acc), DoubleColumn.create("final_memory_accuracy", mem),
                StringColumn.create("stable", stable), StringColumn.create("diverged", div), DoubleColumn.create("diverged_at", at));
    }

    /** Base lr of {@link #ephFactorial}: the paper's exploding run (Fig. 6). */
    public static final double FACTORIAL_LR = 2e-4;
    /** Plasticity of {@link #ephFactorial} (Fig. 6). */
    public static final double FACTORIAL_PLASTICITY = 1e5;

    /**
     * The long-mode fallback, if the boundary does not appear: the differences between the paper's text
     * and its authors' code, each a switch of the model, crossed at the paper's exploding setting (base lr
     * {@link #FACTORIAL_LR 2e-4}, α 1e5, Fig. 6) on 3-character reversed sequences at the long budget:
     * forget rate γ 0.7 (text) vs 0.99 (code) × plastic fraction 0.1 (text) vs 0.2 (code) × initialisation
     * {@link Initialisation#UNIFORM} (ours; the text states none) vs {@link Initialisation#ZERO_WEIGHTS}
     * (code) ({@link RunConfig}) × hidden activation ReLU (text) vs GELU (code) ({@link ModelConfig}) ×
     * the budget's seeds: 2 × 2 × 2 × 2 × 3 = 48 runs. The activation is architecture, shared by the runs
     * of a batched model, so the factorial trains two batched models of 24 runs, one per activation, each
     * a resumable {@link LongTraining} ({@code <dir>/eph-factorial-<activation>.ckpt}); runs never mix, so
     * this gives the numbers one model of 48 would. One row per run as {@link #finalValues} plus
     * {@code init} and {@code activation} (their {@linkplain Initialisation#label labels}).
     */
    public static Table ephFactorial(Scale s, LongBudget budget, Trainer.Listener listener) {
        List<RunConfig> runs = new ArrayList<>();
        for (double g : new double[]{0.7, 0.99})
            for (double f : new double[]{0.1, 0.2})
                for (Initialisation init : Initialisation.values())
                    for (int k = 0; k < budget.samples(); k++) runs.add(RunConfig.ephemeral(k, FACTORIAL_LR, FACTORIAL_PLASTICITY, f, g).withInit(init));
        Table all = null;
        for (HiddenActivation f : HiddenActivation.values()) {
            ModelConfig cfg = ModelConfig.ephemeral(s.hidden(), s.batch()).withActivation(f);
            String id = "eph-factorial-" + f.label();
            MetricLog log = LongTraining.train(id, ReversedSequence.threeChar(), cfg, runs, budget.plan(id), EphemeralTraining.EXPLODED, listener).log();
            Table t = finalValues("eph-factorial", runs, log, budget.steps());
            t.addColumns(StringColumn.create("init", runs.stream().map(r -> r.init().label()).toList()),
                    StringColumn.create("activation", java.util.Collections.nCopies(runs.size(), f.label())));
            if (all == null) all = t;
            else all.append(t);
        }
        return all;
    }

    /** The settings an {@link #ephFactorial} table crosses, in its column names. */
    static final List<String> FACTORIAL_SWITCHES = List.of("forget_rate", "fraction", "init", "activation");

    /**
     * Per setting (forget rate, fraction, lr, init, activation) of an {@link #ephFactorial} table:
     * {@code runs, stable, exploded, not_learnt, memory_accuracy} (mean final).
     */
    public static Table factorialSummary(Table fac) {
        return outcomes("eph-factorial-summary", fac, List.of("forget_rate", "fraction", "lr", "init", "activation"));
    }

    /**
     * The main effect of each switch of an {@link #ephFactorial} table: per switch ({@code forget_rate,
     * fraction, init, activation}) and value, over all runs with that value, {@code runs, stable,
     * exploded, not_learnt, memory_accuracy} (mean final). Columns {@code switch, value} and those.
     */
    public static Table factorialEffects(Table fac) {
        Table out = null;
        for (String sw : FACTORIAL_SWITCHES) {
            Table t = outcomes("eph-factorial-effects", fac, List.of(sw));
            StringColumn value = StringColumn.create("value");
            for (int i = 0; i < t.rowCount(); i++) value.append(t.getString(i, sw));
            Table row = Table.create("eph-factorial-effects", StringColumn.create("switch", java.util.Collections.nCopies(t.rowCount(), sw)), value);
            for (String c : List.of("runs", "stable", "exploded", "not_learnt", "memory_accuracy")) row.addColumns(t.column(c).copy());
            if (out == null) out = row;
            else out.append(row);
        }
        return out;
    }

    /** Per distinct value of {@code keys}: runs, stable, exploded, not learnt (neither) and mean final memory accuracy. */
    private static Table outcomes(String name, Table fac, List<String> keys) {
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < fac.rowCount(); i++) {
            StringBuilder k = new StringBuilder();
            for (String c : keys) k.append(fac.getString(i, c)).append('|');
            groups.computeIfAbsent(k.toString(), x -> new ArrayList<>()).add(i);
        }
        Table out = Table.create(name);
        for (String c : keys) out.addColumns(fac.column(c).emptyCopy());
        tech.tablesaw.api.IntColumn runs = tech.tablesaw.api.IntColumn.create("runs"), stable = tech.tablesaw.api.IntColumn.create("stable"),
                exploded = tech.tablesaw.api.IntColumn.create("exploded"), notLearnt = tech.tablesaw.api.IntColumn.create("not_learnt");
        DoubleColumn memory = DoubleColumn.create("memory_accuracy");
        for (List<Integer> rows : groups.values()) {
            int i0 = rows.get(0), st = 0, ex = 0;
            double mem = 0;
            for (int i : rows) {
                st += fac.stringColumn("stable").get(i).equals("true") ? 1 : 0;
                ex += fac.stringColumn("diverged").get(i).equals("true") ? 1 : 0;
                mem += fac.doubleColumn("final_memory_accuracy").get(i) / rows.size();
            }
            for (String c : keys) out.column(c).appendObj(fac.column(c).get(i0));
            runs.append(rows.size());
            stable.append(st);
            exploded.append(ex);
            notLearnt.append(rows.size() - st - ex);
            memory.append(mem);
        }
        return out.addColumns(runs, stable, exploded, notLearnt, memory);
    }

    private static String key(Table t, int row) {
        return Double.parseDouble(t.getString(row, "lr")) + "/" + Double.parseDouble(t.getString(row, "plasticity")) + "/"
                + (long) Double.parseDouble(t.getString(row, "seed"));
    }

    private static final List<String> CURVE_COLUMNS = List.of("lr", "plasticity", "seed", "step", "loss", EphemeralNet.GRAD_RATIO);

    /** Appends the loss and ratio curves of one trained batch of cells to {@code file} (keyed by lr, plasticity, seed). */
    private static void appendCurves(Path file, List<Cell> cells, Table perStep) {
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < perStep.rowCount(); i++) {
            Cell c = cells.get(perStep.intColumn("run").getInt(i));
            rows.add(List.of(String.valueOf(c.getDouble("lr")), String.valueOf(c.getDouble("plasticity")), String.valueOf(c.seed()),
                    String.valueOf(perStep.intColumn("step").getInt(i)), String.valueOf(perStep.doubleColumn(RunRecorder.LOSS).getDouble(i)),
                    String.valueOf(perStep.doubleColumn(EphemeralNet.GRAD_RATIO).getDouble(i))));
        }
        CheckedCsv.append(file, CURVE_COLUMNS, rows);
    }

    private static Table readCurves(Path file) {
        CheckedCsv.Contents in = CheckedCsv.read(file);
        for (String d : in.damaged()) System.err.println("eph-sweep curves: " + d + ": left out");
        if (!in.header().isEmpty() && !in.header().equals(CURVE_COLUMNS))
            throw new IllegalStateException(file + " has columns " + in.header() + ", expected " + CURVE_COLUMNS);
        StringColumn lr = StringColumn.create("lr"), a = StringColumn.create("plasticity"), seed = StringColumn.create("seed");
        tech.tablesaw.api.IntColumn step = tech.tablesaw.api.IntColumn.create("step");
        DoubleColumn loss = DoubleColumn.create("loss"), ratio = DoubleColumn.create(EphemeralNet.GRAD_RATIO);
        for (CheckedCsv.Row r : in.rows()) {
            List<String> v = r.values();
            lr.append(v.get(0));
            a.append(v.get(1));
            seed.append(v.get(2));
            step.append(Integer.parseInt(v.get(3)));
            loss.append(Double.parseDouble(v.get(4)));
            ratio.append(Double.parseDouble(v.get(5)));
        }
        return Table.create("eph-sweep-curves", lr, a, seed, step, loss, ratio);
    }

    /** eph-gradnorms (Fig. 6): ephemeral DFA on 3-character reversed sequences, lr 1e-4 ("stable") vs 2e-4 ("exploding"), α 1e5. */
    public static Table ephGradnorms(Scale s, Trainer.Listener listener) {
        return ephGradnorms(s, null, listener);
    }

    /** eph-gradnorms with a {@link LongBudget} (its steps and samples replace {@code s}'s), or, with null, at scale {@code s}. */
    public static Table ephGradnorms(Scale s, LongBudget longBudget, Trainer.Listener listener) {
        if (longBudget != null) s = longBudget.scale(s);
        List<RunConfig> runs = new ArrayList<>();
        for (double lr : new double[]{1e-4, 2e-4}) runs.addAll(seeded(RunConfig.ephemeral(0, lr, 1e5, 0.1, 0.7), s.seeds()));
        return curves("eph-gradnorms", ReversedSequence.threeChar(), List.of(new Group("ephemeral", ModelConfig.ephemeral(s.hidden(), s.batch()), runs)),
                s.steps(), longBudget, listener);
    }

    /** eph-separation (Fig. 8): high vs low gradient norms over training of the ephemeral model (DFA, lr 1e-4, α 1e4) on key-recall. */
    public static Table ephSeparation(Scale s, Trainer.Listener listener) {
        return curves("eph-separation", KeyRecall.paper(), List.of(new Group("ephemeral", ModelConfig.ephemeral(s.hidden(), s.batch()),
                seeded(RunConfig.ephemeral(0, 1e-4, 1e4, 0.1, 0.7), s.seeds()))), s.steps(), listener);
    }

    /**
     * eph-configs (Table 1): {RNN, Ephemeral} × {DFA, Backprop, BPTT} × recurrence {on, off} on key
     * recall; RNN = no ephemeral weights (lr 1e-3), Ephemeral = fraction 0.1, α 1e4, γ 0.7 (lr 1e-4).
     * One row per configuration: mean over samples of the final ({@link #tail} mean) loss, accuracy and
     * memory accuracy, and the share of samples that diverged.
     */
    public static Table ephConfigs(Scale s, Trainer.Listener listener) {
        Table out = Table.create("eph-configs");
        StringColumn model = StringColumn.create("model"), upd = StringColumn.create("updater"), recur = StringColumn.create("recurrence");
        DoubleColumn loss = DoubleColumn.create("final_loss"), acc = DoubleColumn.create("final_accuracy"),
                mem = DoubleColumn.create("final_memory_accuracy"), div = DoubleColumn.create("diverged_share");
        CharTask task = KeyRecall.paper();
        for (String kind : List.of("rnn", "ephemeral"))
            for (Updater u : Updater.values())
                for (boolean r : new boolean[]{true, false}) {
                    ModelConfig cfg = new ModelConfig(s.hidden(), s.batch(), r, u, true, DecayTarget.VALUE);
                    RunConfig base = kind.equals("rnn") ? RunConfig.baseline(0, 1e-3) : RunConfig.ephemeral(0, 1e-4, 1e4, 0.1, 0.7);
                    EphemeralTraining.Result res = EphemeralTraining.train("eph-configs", task, cfg, seeded(base, s.seeds()), s.steps(),
                            EphemeralTraining.EXPLODED, listener);
                    double l = 0, a = 0, mm = 0, d = 0;
                    int n = s.samples(), k = tail(s.steps());
                    for (int i = 0; i < n; i++) {
                        l += res.recorder().tailMean(i, RunRecorder.LOSS, k) / n;
                        a += res.recorder().tailMean(i, EphemeralNet.ACCURACY, k) / n;
                        mm += res.recorder().tailMean(i, EphemeralNet.MEMORY_ACCURACY, k) / n;
                        d += res.recorder().diverged(i) ? 1.0 / n : 0;
                    }
                    model.append(kind);
                    upd.append(u.name().toLowerCase());
                    recur.append(String.valueOf(r));
                    loss.append(l);
                    acc.append(a);
                    mem.append(mm);
                    div.append(d);
                }
        out.addColumns(model, upd, recur, loss, acc, mem, div);
        return out;
    }

    /**
     * eph-clip: weight-clipping thresholds 0.01–100 (9 values, ×√10 apart... 0.01, 0.03, …, 100),
     * {@code samples} each, at an edge-of-stability setting (default DFA, lr 2e-4, α 1e5), one
     * batched model; per-run table as {@link RunRecorder#summary()} (with {@code clip}) plus {@code tail_loss,
     * tail_accuracy, tail_memory_accuracy} ({@link #tail} means) and {@code stable} (tail loss &lt; 2, not diverged).
     */
    public static Table ephClip(Scale s, double lr, double plasticity, Updater updater, Trainer.Listener listener) {
        double[] clips = {0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30, 100};
        List<RunConfig> runs = new ArrayList<>();
        for (double c : clips) for (RunConfig rc : seeded(RunConfig.ephemeral(0, lr, plasticity, 0.1, 0.7).withClip(c), s.seeds())) runs.add(rc);
        EphemeralTraining.Result r = EphemeralTraining.train("eph-clip", ReversedSequence.threeChar(),
                ModelConfig.ephemeral(s.hidden(), s.batch()).withUpdater(updater), runs, s.steps(), EphemeralTraining.EXPLODED, listener);
        Table t = r.recorder().summary();
        int k = tail(s.steps());
        double[] loss = new double[runs.size()], acc = new double[runs.size()], mem = new double[runs.size()];
        for (int i = 0; i < runs.size(); i++) {
            loss[i] = r.recorder().tailMean(i, RunRecorder.LOSS, k);
            acc[i] = r.recorder().tailMean(i, EphemeralNet.ACCURACY, k);
            mem[i] = r.recorder().tailMean(i, EphemeralNet.MEMORY_ACCURACY, k);
        }
        t.addColumns(DoubleColumn.create("tail_loss", loss), DoubleColumn.create("tail_accuracy", acc), DoubleColumn.create("tail_memory_accuracy", mem),
                StringColumn.create("stable", java.util.stream.IntStream.range(0, loss.length)
                        .mapToObj(i -> String.valueOf(loss[i] < 2 && !r.recorder().diverged(i))).toList()));
        return t;
    }

    /**
     * eph-warning: {@link EarlyWarning#score} over the sweep's runs, window 20 steps (quick: 3), factors
     * 1.25, 1.5, 2, 3. Windows and lead times count recorded rows: steps for a sweep recorded every
     * step, blocks of steps for a {@link #ephSweepLong long} one (a diverged run's last row is its
     * diverging step, so its explosion is at that row).
     */
    public static Table ephWarning(SweepResult sweep, int window) {
        int[] divergedRow = new int[sweep.divergedAt().length];
        for (int r = 0; r < divergedRow.length; r++)
            divergedRow[r] = sweep.divergedAt()[r] < 0 ? -1 : sweep.curves().where(sweep.curves().intColumn("run").isEqualTo(r)).rowCount() - 1;
        return EarlyWarning.score(sweep.curves(), divergedRow, window, 1.25, 1.5, 2, 3);
    }
}
