package memlab.ntm;

import memlab.core.Check;
import memlab.stats.Spread;
import memlab.train.RunRecorder;
import memlab.train.Trainer;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code dil-ntm-recipe}: the training recipe of Collier and Beel ("Implementing Neural Turing
 * Machines", ICANN 2018) taken apart: memory initialisation {constant, random, learned} × gradient
 * clipping {on, off} × curriculum over length {on, off} × seeds, all trained as ONE batched model
 * ({@link NtmCopyTraining}; a run that turns NaN/Inf is frozen and counted, the others go on).
 *
 * <p><b>Convergence</b> (our choice, stated): a run has converged at the first step s at which the
 * mean training cost over the {@code window} steps up to s is below {@code level} bits per sequence
 * (1 bit: at most about one wrong bit per copied sequence), counting only windows that start once
 * the curriculum, if on, draws lengths from the full range — short sequences early in a curriculum
 * cost little without the model being able to copy. A run that diverges before that never converged.
 */
public final class RecipeGrid {
    private RecipeGrid() {}

    /**
     * @param training the shared model, task, optimiser and step count
     * @param lr       learning rate of every run
     * @param clip     the clipping threshold of the "clipping on" runs (global gradient norm)
     * @param seeds    seeds of each cell (the same in every cell), at least one
     * @param level    convergence level, bits per sequence
     * @param window   steps averaged by the convergence test
     */
    public record Setup(NtmCopyTraining.Setup training, double lr, double clip, long[] seeds, double level, int window) {
        public Setup {
            Check.notNull("training", training);
            Check.positive("lr", lr);
            if (!(clip > 0) || Double.isInfinite(clip)) throw new IllegalArgumentException("clip must be finite and > 0 (the 'on' threshold), got " + clip);
            seeds = Check.seeds("seeds", seeds);
            Check.positive("level", level);
            Check.positive("window", window);
        }

        @Override public long[] seeds() { return seeds.clone(); }

        /** The grid's runs: init × clipping (on, off) × curriculum (on, off) × seeds, in that nesting. */
        public List<NtmCopyTraining.Run> runs() {
            List<NtmCopyTraining.Run> out = new ArrayList<>();
            for (MemoryInit init : MemoryInit.values())
                for (double c : new double[]{clip, Double.POSITIVE_INFINITY})
                    for (boolean curriculum : new boolean[]{true, false})
                        for (long seed : seeds) out.add(new NtmCopyTraining.Run(init, lr, c, curriculum, seed));
            return out;
        }

        /** The first step whose window may count for convergence: where the curriculum reaches the full range (0 without one). */
        public int firstFullStep(boolean curriculum) {
            int s = 0;
            while (training.task().maxLengthAt(curriculum, s) < training.task().maxLength()) s += training.task().curriculumSteps();
            return s;
        }
    }

    /** The trained grid. */
    public record Result(Setup setup, List<NtmCopyTraining.Run> runs, RunRecorder recorder) {
        /** The training cost of run {@code r} per step; its curve ends where it diverged. */
        public double[] cost(int r) {
            Table t = recorder.table();
            return t.where(t.intColumn("run").isEqualTo(r)).sortAscendingOn("step").doubleColumn(RunRecorder.LOSS).asDoubleArray();
        }

        /** Steps to converge of run {@code r} ({@link #stepsToConverge}), -1 if it never did. */
        public int stepsToConverge(int r) {
            NtmCopyTraining.Run run = runs.get(r);
            return RecipeGrid.stepsToConverge(cost(r), setup.firstFullStep(run.curriculum()), setup.level(), setup.window());
        }

        /** One row per run: init, clipping, curriculum, seed, diverged, converged, steps_to_converge (NaN if not). */
        public Table runTable() {
            Table t = Table.create("dil-ntm-recipe-runs", StringColumn.create("init"), StringColumn.create("clipping"),
                    StringColumn.create("curriculum"), LongColumn.create("seed"), StringColumn.create("diverged"),
                    StringColumn.create("converged"), DoubleColumn.create("steps_to_converge"));
            for (int r = 0; r < runs.size(); r++) {
                NtmCopyTraining.Run run = runs.get(r);
                int s = stepsToConverge(r);
                t.stringColumn("init").append(run.init().label());
                t.stringColumn("clipping").append(onOff(!Double.isInfinite(run.clip())));
                t.stringColumn("curriculum").append(onOff(run.curriculum()));
                t.longColumn("seed").append(run.seed());
                t.stringColumn("diverged").append(String.valueOf(recorder.diverged(r)));
                t.stringColumn("converged").append(String.valueOf(s >= 0));
                t.doubleColumn("steps_to_converge").append(s >= 0 ? s : Double.NaN);
            }
            return t;
        }

        /** The figure's table: one row per cell (init × clipping × curriculum) with runs, converged_share, nan_share, median_steps. */
        public Table cells() {
            return RecipeGrid.cells(runTable());
        }
    }

    /** Trains the grid as one batched model. */
    public static Result train(Setup setup, Trainer.Listener listener) {
        List<NtmCopyTraining.Run> runs = setup.runs();
        return new Result(setup, runs, NtmCopyTraining.train(setup.training(), runs, listener));
    }

    /**
     * The first step {@code s ≥ from + window − 1} at which the mean of {@code cost[s−window+1..s]}
     * is below {@code level}, or -1. A window holding NaN/Inf never counts, and a curve that ends
     * (a diverged run) ends the search.
     */
    public static int stepsToConverge(double[] cost, int from, double level, int window) {
        Check.positive("window", window);
        Check.nonNegative("from", from);
        for (int s = from + window - 1; s < cost.length; s++) {
            double sum = 0;
            boolean finite = true;
            for (int i = s - window + 1; i <= s; i++) {
                if (!Double.isFinite(cost[i])) { finite = false; break; }
                sum += cost[i];
            }
            if (!finite) return -1;                // the run diverged here: nothing after counts
            if (sum / window < level) return s;    // summed afresh: no drift of a running sum at the level
        }
        return -1;
    }

    /**
     * Per cell (init × clipping × curriculum) of a {@link Result#runTable}: runs, converged_share,
     * nan_share (diverged runs) and median_steps over the converged runs (NaN when none converged).
     */
    public static Table cells(Table runs) {
        Table t = Table.create("dil-ntm-recipe", StringColumn.create("init"), StringColumn.create("clipping"),
                StringColumn.create("curriculum"), IntColumn.create("runs"), DoubleColumn.create("converged_share"),
                DoubleColumn.create("nan_share"), DoubleColumn.create("median_steps"));
        Map<String, List<Integer>> byCell = new java.util.LinkedHashMap<>();
        for (int i = 0; i < runs.rowCount(); i++)
            byCell.computeIfAbsent(runs.stringColumn("init").get(i) + "|" + runs.stringColumn("clipping").get(i) + "|"
                    + runs.stringColumn("curriculum").get(i), k -> new ArrayList<>()).add(i);
        byCell.forEach((key, rows) -> {
            String[] k = key.split("\\|");
            int converged = 0, diverged = 0;
            List<Double> steps = new ArrayList<>();
            for (int i : rows) {
                if ("true".equals(runs.stringColumn("converged").get(i))) { converged++; steps.add(runs.doubleColumn("steps_to_converge").getDouble(i)); }
                if ("true".equals(runs.stringColumn("diverged").get(i))) diverged++;
            }
            t.stringColumn("init").append(k[0]);
            t.stringColumn("clipping").append(k[1]);
            t.stringColumn("curriculum").append(k[2]);
            t.intColumn("runs").append(rows.size());
            t.doubleColumn("converged_share").append((double) converged / rows.size());
            t.doubleColumn("nan_share").append((double) diverged / rows.size());
            t.doubleColumn("median_steps").append(Spread.median(steps.stream().mapToDouble(Double::doubleValue).toArray()));
        });
        return t;
    }

    static String onOff(boolean on) {
        return on ? "on" : "off";
    }
}
