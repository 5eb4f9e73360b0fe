package memlab.ephemeral;

import memlab.stats.EffectSize;
import memlab.stats.Finding;
import memlab.stats.GridMeans;
import memlab.stats.Numbers;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * eph-sweep (Figs. 5, 7) read back: each run's outcome — <b>stable</b> (final loss &lt; 2, the
 * paper's criterion), <b>exploded</b> (NaN/Inf or runaway loss), or <b>loss ≥ 2</b> (neither: not
 * learnt in time) — the share of stable runs per (base lr, plasticity) cell, the boundary (per base
 * lr, the largest plasticity at which most runs are stable) and which knob explains the memory
 * accuracy of the stable runs (η², {@link EffectSize}). A sweep whose runs errored (status
 * {@code error}, e.g. the batched model threw) leaves those runs out, and says so.
 *
 * @param runs            the usable runs (status ok), with added columns {@code outcome} and {@code stable01}
 * @param errored         how many runs errored
 * @param error           the first error message, empty if none
 * @param stableShare     share of stable runs per cell (x: base lr, y: plasticity)
 * @param memoryAccuracy  mean final memory accuracy per cell
 * @param boundary        per base lr ({@code stableShare.xs()}), the largest plasticity with a stable share ≥ 0.5, NaN if none
 * @param etaPlasticity   η² of the stable runs' final memory accuracy by plasticity (NaN: fewer than 2 stable runs, or no variance)
 * @param etaLr           the same by base lr
 */
public record StabilityBoundary(Table runs, int errored, String error, GridMeans stableShare, GridMeans memoryAccuracy,
                                double[] boundary, double etaPlasticity, double etaLr) {
    public static final String STABLE = "stable", EXPLODED = "exploded", NOT_LEARNT = "loss >= 2";

    /** Reads an {@link EphemeralExperiment#ephSweep} results table (columns as read back from its CSV). */
    public static StabilityBoundary of(Table results) {
        boolean hasStatus = results.containsColumn("status");
        int errored = 0;
        String error = "";
        List<Integer> ok = new ArrayList<>();
        for (int i = 0; i < results.rowCount(); i++) {
            if (hasStatus && !results.getString(i, "status").equals("ok")) {
                if (errored++ == 0 && results.containsColumn("error")) error = results.getString(i, "error");
            } else ok.add(i);
        }
        boolean complete = results.containsColumn("stable") && results.containsColumn("diverged") && results.containsColumn("final_memory_accuracy");
        Table runs = complete ? results.rows(ok.stream().mapToInt(Integer::intValue).toArray()) : results.emptyCopy();
        if (!complete) errored = results.rowCount();
        String[] outcome = new String[runs.rowCount()];
        double[] stable01 = new double[runs.rowCount()];
        for (int i = 0; i < outcome.length; i++) {
            boolean stable = runs.getString(i, "stable").equals("true");
            outcome[i] = stable ? STABLE : runs.getString(i, "diverged").equals("true") ? EXPLODED : NOT_LEARNT;
            stable01[i] = stable ? 1 : 0;
        }
        runs.addColumns(StringColumn.create("outcome", outcome), DoubleColumn.create("stable01", stable01));
        if (runs.rowCount() == 0)
            return new StabilityBoundary(runs, errored, error, null, null, new double[0], Double.NaN, Double.NaN);
        GridMeans share = GridMeans.of(runs, "lr", "plasticity", "stable01"), acc = GridMeans.of(runs, "lr", "plasticity", "final_memory_accuracy");
        double[] boundary = new double[share.xs().length];
        for (int i = 0; i < boundary.length; i++) {
            boundary[i] = Double.NaN;
            for (int j = 0; j < share.ys().length; j++) if (share.mean()[j][i] >= 0.5) boundary[i] = share.ys()[j];
        }
        Table stableRuns = runs.where(runs.doubleColumn("stable01").isEqualTo(1.0));
        return new StabilityBoundary(runs, errored, error, share, acc, boundary,
                EffectSize.etaSquared(stableRuns, "plasticity", "final_memory_accuracy"), EffectSize.etaSquared(stableRuns, "lr", "final_memory_accuracy"));
    }

    /**
     * The sweep threw instead of returning ({@code cause}): what its results file says went wrong — the
     * error of its errored runs, if it recorded any — else the exception's message. Never usable.
     */
    public static StabilityBoundary failed(java.nio.file.Path resultsFile, RuntimeException cause) {
        String why = cause.getClass().getSimpleName() + ": " + java.util.Objects.toString(cause.getMessage(), "");
        int errored = 0;
        try {
            if (java.nio.file.Files.exists(resultsFile)) {
                Table t = Table.read().csv(tech.tablesaw.io.csv.CsvReadOptions.builder(resultsFile.toFile()).sample(false).build());
                if (t.containsColumn("status") && t.containsColumn("error"))
                    for (int i = 0; i < t.rowCount(); i++)
                        if (!t.getString(i, "status").equals("ok") && errored++ == 0) why = t.getString(i, "error") + " (then: " + why + ")";
            }
        } catch (RuntimeException unreadable) {
            why += "; the results file " + resultsFile + " could not be read either (" + unreadable.getMessage() + ")";
        }
        Table none = Table.create("eph-sweep", DoubleColumn.create("lr"), DoubleColumn.create("plasticity"), StringColumn.create("outcome"),
                DoubleColumn.create("stable01"), DoubleColumn.create("final_memory_accuracy"));
        return new StabilityBoundary(none, errored, why, null, null, new double[0], Double.NaN, Double.NaN);
    }

    /** True when at least one run finished (the figure and the verdict have something to show). */
    public boolean usable() {
        return runs.rowCount() > 0;
    }

    /** What went wrong, for the reader: empty when every run finished. */
    public String problem() {
        if (usable() && errored == 0) return "";
        return (usable() ? errored + " of " + (errored + runs.rowCount()) + " runs of the sweep errored and are left out"
                : "the sweep produced no result" + (errored > 0 ? ": " + errored + " runs errored" : "")) + (error.isEmpty() ? "" : " (" + error + ")")
                + "; once the cause is fixed, rerun the sweep (delete its results file if errored runs are not retried)";
    }

    /** Runs per outcome, only outcomes that occurred, e.g. {@code {stable=3, loss >= 2=5}}. */
    public Map<String, Integer> counts() {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (String o : List.of(STABLE, EXPLODED, NOT_LEARNT)) {
            int n = runs.stringColumn("outcome").isEqualTo(o).size();
            if (n > 0) out.put(o, n);
        }
        return out;
    }

    /** The outcome counts in words, naming only groups that have runs: "of 8 runs: 3 stable, 5 with loss ≥ 2 (did not explode)". */
    public String describeCounts() {
        if (!usable()) return problem();
        Map<String, Integer> c = counts();
        List<String> parts = new ArrayList<>();
        c.forEach((k, n) -> parts.add(n + (k.equals(NOT_LEARNT) ? " with loss ≥ 2 that did not explode" : " " + k)));
        String s = c.size() == 1 ? "all " + runs.rowCount() + " runs " + (c.containsKey(NOT_LEARNT) ? "ended with loss ≥ 2 without exploding"
                : "were " + c.keySet().iterator().next()) : "of " + runs.rowCount() + " runs: " + String.join(", ", parts);
        return errored > 0 ? s + " (" + problem() + ")" : s;
    }

    /** Per base lr, the largest mostly-stable plasticity, or "none": "lr 1e-4: 1e5, lr 4e-4: none". */
    public String describeBoundary() {
        if (!usable()) return problem();
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < boundary.length; i++)
            parts.add("lr " + Numbers.compact(stableShare.xs()[i]) + ": " + (Double.isNaN(boundary[i]) ? "none" : "α " + Numbers.compact(boundary[i])));
        return "largest plasticity with most runs stable, per base lr — " + String.join(", ", parts);
    }

    /**
     * The log-log slope of the boundary over the base lrs whose boundary lies inside the grid (defined
     * and below the largest plasticity), least squares; NaN with fewer than 2 such points. A boundary
     * {@code lr·α = const} has slope −1.
     */
    public double slope() {
        List<double[]> pts = new ArrayList<>();
        double top = stableShare == null || stableShare.ys().length == 0 ? Double.NaN : stableShare.ys()[stableShare.ys().length - 1];
        for (int i = 0; i < boundary.length; i++)
            if (!Double.isNaN(boundary[i]) && boundary[i] < top) pts.add(new double[]{Math.log10(stableShare.xs()[i]), Math.log10(boundary[i])});
        if (pts.size() < 2) return Double.NaN;
        double mx = pts.stream().mapToDouble(p -> p[0]).average().orElseThrow(), my = pts.stream().mapToDouble(p -> p[1]).average().orElseThrow(), sxy = 0, sxx = 0;
        for (double[] p : pts) { sxy += (p[0] - mx) * (p[1] - my); sxx += (p[0] - mx) * (p[0] - mx); }
        return sxx == 0 ? Double.NaN : sxy / sxx;
    }

    /**
     * The first claim alone: a stable/exploded boundary where a lower base lr allows a higher
     * plasticity (see {@link #judge}); untestable without an exploded run or without a mostly-stable cell.
     */
    public Finding shape(int steps) {
        if (!usable()) return Finding.untestable(problem());
        int exploded = counts().getOrDefault(EXPLODED, 0);
        if (exploded == 0)
            return Finding.untestable("no run exploded in " + steps + " steps (" + describeCounts() + "), so there is no stable/exploded boundary to test");
        if (java.util.Arrays.stream(boundary).allMatch(Double::isNaN))
            return Finding.untestable("no (lr, plasticity) cell has most of its runs stable (" + describeCounts() + ")");
        boolean rises = false, falls = false;
        for (int i = 1; i < boundary.length; i++) {
            double prev = Double.isNaN(boundary[i - 1]) ? 0 : boundary[i - 1], cur = Double.isNaN(boundary[i]) ? 0 : boundary[i];
            if (cur > prev) rises = true;
            if (cur < prev) falls = true;
        }
        double s = slope();
        return Finding.of(falls && !rises, (falls && !rises ? "the boundary moves to lower plasticity as lr grows" : rises
                ? "the boundary rises with lr somewhere" : "the boundary does not move with lr") + " (" + describeBoundary()
                + (Double.isNaN(s) ? "" : "; log-log slope " + Numbers.compact(s) + ", lr·α = const would be −1") + "; " + describeCounts() + ")");
    }

    /**
     * The paper's two claims. <i>A boundary: lower base lr allows higher plasticity</i> — untestable
     * without an exploded run (there is then no stable/exploded boundary) or without any mostly-stable
     * cell; reproduced when the boundary never rises and falls at least once as lr grows (a base lr
     * with no mostly-stable plasticity counts as below every plasticity). <i>Plasticity dominates
     * accuracy</i> — η² of plasticity above that of lr, among stable runs; untestable when η² is undefined.
     */
    public Finding judge(int steps) {
        if (!usable()) return Finding.untestable(problem());
        Finding line = shape(steps);
        int stable = counts().getOrDefault(STABLE, 0);
        Finding knob = Double.isNaN(etaPlasticity) || Double.isNaN(etaLr)
                ? Finding.untestable(stable < 2 ? "which knob decides accuracy: fewer than 2 stable runs (" + stable + ")"
                  : "which knob decides accuracy: the " + stable + " stable runs' memory accuracy does not vary")
                : Finding.of(etaPlasticity > etaLr, "among the " + stable + " stable runs, plasticity explains " + Numbers.percent(etaPlasticity)
                  + " of the variance of memory accuracy, base lr " + Numbers.percent(etaLr) + " (η²)");
        return Finding.combine(line, knob);
    }
}
