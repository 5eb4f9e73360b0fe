package memlab.ntm;

import memlab.diagnostics.AttentionSummary;
import memlab.diagnostics.Diagnostics;
import memlab.plot.Figure;
import memlab.plot.Heatmap;
import memlab.plot.Labels;
import memlab.plot.LineChart;
import memlab.plot.Plot;
import memlab.stats.Curves;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures of notebook 04's NTM part ({@code dil-gradflow}, {@code dil-decorative}, {@code dil-usage},
 * {@code dil-ntm-recipe}, {@code dil-aux}), drawn from our runs so the notebook's cells stay a few
 * lines. Each returns a {@link Figure} with its data attached; the notebook saves and shows it.
 */
public final class DilutionFigures {
    static {
        Labels.put("cost", "cost (bits per sequence)");
        Labels.put("delta_loss", "Δ cost when reads are zeroed (bits per sequence)");
        Labels.put("probe_cost", "cost on unseen sequences (bits per sequence)");
        Labels.put("bit_errors", "wrong bits per sequence");
        Labels.put("slot", "memory slot");
        Labels.share("usage", "share of read/write weight");
        Labels.share("entropy", "attention entropy (1 = uniform)");
        Labels.share("saturation", "share of saturated weights");
    }

    private DilutionFigures() {}

    /** Registers the axis titles of these figures (called by every figure; public so a notebook can call it first). */
    public static void labels() {}

    /**
     * {@code dil-gradflow}: per condition, the gradient norm reaching the memory path (key, β, g, shift,
     * γ, erase, add together), the controller and the output over training; and the saturation of the
     * read and write weightings. Mean over seeds, band min–max.
     */
    public static Figure gradFlow(BypassExperiment.Result r) {
        Table paths = pathNorms(r.trace());
        List<Plot> panels = new ArrayList<>();
        for (String c : r.byCondition().keySet())
            panels.add(LineChart.of(rows(paths, "condition", c), "step", "grad_norm").series("path").meanOver("seed", LineChart.Band.MIN_MAX)
                    .logY().yTitle("gradient norm (log)").title(c + ": gradient norm per path").plot());
        Table sat = withSeries(TraceTables.measure(r.trace(), "saturation", null));
        panels.add(LineChart.of(sat, "step", "value").series("series").meanOver("seed", LineChart.Band.MIN_MAX)
                .yTitle("share of saturated weights").yRange(0, 1).title("softmax saturation (weights < 1e-3 or > 1 − 1e-3)").plot());
        return Figure.grid("dil-gradflow", 3, panels).size(1300, 450)
                .title("Gradient reaching the memory path vs the controller, and saturation (mean and min–max over seeds)").data(paths);
    }

    /** {@code dil-decorative}: ablation Δ cost and the intact cost on unseen sequences over training, per condition. */
    public static Figure decorative(BypassExperiment.Result r) {
        Table t = r.trace();
        return decorative("dil-decorative", t, "Memory ablation over training: strong controller with bypass vs hamstrung (mean and min–max over seeds)");
    }

    /**
     * {@code dil-usage}: read and write entropy over training, and the slot-usage histogram (mean
     * weight per slot over steps, heads and sequences) at the last measurement, per condition.
     */
    public static Figure usage(BypassExperiment.Result r) {
        Table ent = withSeries(TraceTables.measure(r.trace(), "entropy", null));
        Table hist = usageTable(r);
        return Figure.grid("dil-usage", 2, List.of(
                        LineChart.of(ent, "step", "value").series("series").meanOver("seed", LineChart.Band.MIN_MAX)
                                .yTitle("attention entropy (1 = uniform)").yRange(0, 1).title("read / write entropy over training").plot(),
                        LineChart.of(hist, "slot", "usage").series("series").meanOver("seed", LineChart.Band.MIN_MAX)
                                .title("slot usage after training").plot()))
                .size(1300, 450).title("Where the heads look (mean and min–max over seeds)").data(hist);
    }

    /** The slot-usage histograms of the last measurement: condition, kind, seed, slot, usage. */
    public static Table usageTable(BypassExperiment.Result r) {
        Table t = Table.create("dil-usage", StringColumn.create("condition"), StringColumn.create("kind"), LongColumn.create("seed"),
                IntColumn.create("slot"), DoubleColumn.create("usage"));
        long[] seeds = r.setup().seeds();
        for (String c : r.byCondition().keySet()) {
            Diagnostics.Report last = r.last(c);
            for (Map.Entry<String, AttentionSummary> e : last.attention().entrySet())
                for (int run = 0; run < seeds.length; run++)
                    for (int s = 0; s < e.getValue().usage()[run].length; s++) {
                        t.stringColumn("condition").append(c);
                        t.stringColumn("kind").append(e.getKey());
                        t.longColumn("seed").append(seeds[run]);
                        t.intColumn("slot").append(s);
                        t.doubleColumn("usage").append(e.getValue().usage()[run][s]);
                    }
        }
        t.addColumns(StringColumn.create("series", t.stream().map(row -> row.getString("kind") + ", " + row.getString("condition")).toList()));
        return t;
    }

    /**
     * {@code dil-ntm-recipe}: per cell (memory init × clipping × curriculum), the share of runs that
     * converged, the share that turned NaN/Inf and the median steps to converge; and the training cost
     * (trailing mean over {@code smooth} steps) of each init with and without the full recipe.
     */
    public static Figure recipe(RecipeGrid.Result r, int smooth) {
        Table cells = r.cells();
        List<String> inits = new ArrayList<>(), columns = new ArrayList<>();
        for (MemoryInit m : MemoryInit.values()) inits.add(m.label());
        for (String clip : List.of("on", "off")) for (String cur : List.of("on", "off")) columns.add(recipeName(clip, cur));
        List<Plot> panels = new ArrayList<>();
        for (String[] m : new String[][]{{"converged_share", "share converged", "converged"}, {"nan_share", "share NaN/Inf", "NaN/Inf"},
                {"median_steps", "median steps to converge", "steps"}}) {
            double[][] z = new double[inits.size()][columns.size()];
            for (int i = 0; i < cells.rowCount(); i++) {
                int row = inits.indexOf(cells.stringColumn("init").get(i));
                int col = columns.indexOf(recipeName(cells.stringColumn("clipping").get(i), cells.stringColumn("curriculum").get(i)));
                z[row][col] = cells.doubleColumn(m[0]).getDouble(i);
            }
            // the recipe names label the columns; an axis title there would run into the titles of the panels below
            Heatmap h = Heatmap.of(z).xLabels(columns).yLabels(inits).yTitle("memory init").colorTitle(m[2]).title(m[1]);
            if (m[0].equals("median_steps")) h.missing("none<br>converged");   // a median over no converged run
            // fixed scales: shares 0–1, steps 0 to the budget, so one converged cell is not drawn on a range of a step or two
            panels.add((m[0].endsWith("_share") ? h.range(0, 1) : h.range(0, r.setup().training().steps())).plot());
        }
        Table curves = recipeCurves(r, smooth);
        for (String recipe : List.of(recipeName("on", "on"), recipeName("off", "off")))
            panels.add(LineChart.of(rows(curves, "recipe", recipe), "step", "cost").series("init").meanOver("seed", LineChart.Band.MIN_MAX)
                    .logY().yTitle("cost (bits per sequence, log)").title("training cost: " + recipe).plot());
        return Figure.grid("dil-ntm-recipe", 3, panels).size(1400, 900)
                .title("The NTM recipe taken apart: " + r.runs().size() + " runs as one batched model, " + r.setup().training().steps() + " steps").data(cells);
    }

    /** Training cost of the recipe grid's runs, trailing mean over {@code smooth} steps, with init, recipe and seed. */
    public static Table recipeCurves(RecipeGrid.Result r, int smooth) {
        Table t = TraceTables.curves(r.recorder(), run -> r.runs().get(run).label(), run -> r.runs().get(run).seed());
        StringColumn init = StringColumn.create("init"), recipe = StringColumn.create("recipe");
        for (int i = 0; i < t.rowCount(); i++) {
            NtmCopyTraining.Run run = r.runs().get(t.intColumn("run").get(i));
            init.append(run.init().label());
            recipe.append(recipeName(RecipeGrid.onOff(!Double.isInfinite(run.clip())), RecipeGrid.onOff(run.curriculum())));
        }
        t.addColumns(init, recipe, t.doubleColumn("loss").copy().setName("cost"));
        return Curves.smoothed(t, smooth, Math.max(1, smooth / 2), List.of("run"), "cost");
    }

    /** {@code dil-aux}: copy cost, wrong bits (trailing mean over {@code smooth} steps) and the ablation Δ cost, with vs without the auxiliary loss. */
    public static Figure aux(AuxExperiment.Result r, int smooth) {
        Table curves = Curves.smoothed(r.curves(), smooth, Math.max(1, smooth / 2), List.of("run"), NtmCopyTraining.COST, NtmCopyTraining.BIT_ERRORS);
        Table trace = r.trace();
        Table delta = TraceTables.measure(trace, "delta_loss", null);
        return Figure.grid("dil-aux", 3, List.of(
                        LineChart.of(curves, "step", NtmCopyTraining.COST).series("condition").meanOver("seed", LineChart.Band.MIN_MAX).logY()
                                .yTitle("copy cost (bits per sequence, log)").title("copy cost (training)").plot(),
                        LineChart.of(curves, "step", NtmCopyTraining.BIT_ERRORS).series("condition").meanOver("seed", LineChart.Band.MIN_MAX)
                                .title("wrong bits per sequence (training)").plot(),
                        LineChart.of(delta, "step", "value").series("condition").meanOver("seed", LineChart.Band.MIN_MAX)
                                .yTitle("Δ cost when reads are zeroed (bits per sequence)").title("memory use: ablation Δ cost (unseen sequences)").plot()))
                .size(1400, 450).title("Auxiliary reconstruction loss on the reads, with vs without (mean and min–max over seeds)").data(trace);
    }

    private static Figure decorative(String id, Table trace, String title) {
        Table delta = TraceTables.measure(trace, "delta_loss", null), loss = TraceTables.measure(trace, "loss", null);
        return Figure.grid(id, 2, List.of(
                        LineChart.of(delta, "step", "value").series("condition").meanOver("seed", LineChart.Band.MIN_MAX)
                                .yTitle("Δ cost when reads are zeroed (bits per sequence)").title("ablation: cost with reads zeroed − intact").plot(),
                        LineChart.of(loss, "step", "value").series("condition").meanOver("seed", LineChart.Band.MIN_MAX).logY()
                                .yTitle("cost on unseen sequences (bits per sequence, log)").title("intact cost").plot()))
                .size(1300, 450).title(title).data(trace);
    }

    /**
     * Gradient norm per path from a trace table in long format: the memory path's groups ({@link
     * DilutionClaims#MEMORY_PATH}) combined as {@code sqrt(Σ n²)}, the controller and the output as they are.
     */
    public static Table pathNorms(Table trace) {
        Table g = TraceTables.measure(trace, "grad_norm", null);
        Map<String, double[]> acc = new LinkedHashMap<>();   // key condition|seed|step|path -> sum of squares
        Map<String, Object[]> keys = new LinkedHashMap<>();
        for (int i = 0; i < g.rowCount(); i++) {
            String of = g.stringColumn("of").get(i);
            String path = DilutionClaims.MEMORY_PATH.contains(of) ? "memory path" : of.equals("controller") || of.equals("output") ? of : null;
            if (path == null) continue;
            Object[] k = {g.stringColumn("condition").get(i), g.longColumn("seed").get(i), g.intColumn("step").get(i), path};
            String key = k[0] + "|" + k[1] + "|" + k[2] + "|" + k[3];
            keys.putIfAbsent(key, k);
            double v = g.doubleColumn("value").getDouble(i);
            acc.computeIfAbsent(key, x -> new double[1])[0] += v * v;
        }
        Table t = Table.create("dil-gradflow", StringColumn.create("condition"), LongColumn.create("seed"), IntColumn.create("step"),
                StringColumn.create("path"), DoubleColumn.create("grad_norm"));
        keys.forEach((key, k) -> {
            t.stringColumn("condition").append((String) k[0]);
            t.longColumn("seed").append((Long) k[1]);
            t.intColumn("step").append((Integer) k[2]);
            t.stringColumn("path").append((String) k[3]);
            t.doubleColumn("grad_norm").append(Math.sqrt(acc.get(key)[0]));
        });
        return t;
    }

    /** A short name of a recipe cell's switches: "clip + curriculum", "clip only", "curriculum only", "neither". */
    static String recipeName(String clip, String curriculum) {
        boolean c = clip.equals("on"), k = curriculum.equals("on");
        return c && k ? "clip + curriculum" : c ? "clip only" : k ? "curriculum only" : "neither";
    }

    private static Table withSeries(Table t) {
        Table c = t.copy();
        c.addColumns(StringColumn.create("series", c.stream().map(row -> row.getString("of") + ", " + row.getString("condition")).toList()));
        return c;
    }

    private static Table rows(Table t, String column, String value) {
        return t.where(t.stringColumn(column).isEqualTo(value));
    }
}
