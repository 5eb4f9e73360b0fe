package memlab.ephemeral;

import memlab.stats.Correlation;
import memlab.stats.Finding;
import memlab.stats.GridMeans;
import memlab.stats.Numbers;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;

import java.util.Arrays;

/**
 * eph-clip: weight clipping at the edge of stability. The edge is taken from our own sweep
 * ({@link #edge}); the clipping sweep is read back as the share of stable runs and the mean memory
 * accuracy per threshold, and their Spearman correlation with the threshold decides whether there
 * is a clear monotone pattern (|ρ| ≥ {@link #CLEAR}) — the paper found none ("inconclusive").
 *
 * @param thresholds     the clip thresholds, ascending
 * @param stableShare    per threshold, the share of stable runs
 * @param memoryAccuracy per threshold, the mean final memory accuracy of its runs with a finite one (NaN if none)
 * @param rhoStable      Spearman ρ of stable share vs threshold (NaN: undefined, e.g. the share is the same at every threshold)
 * @param rhoAccuracy    Spearman ρ of memory accuracy vs threshold
 * @param runs           how many runs
 */
public record ClipAtEdge(double[] thresholds, double[] stableShare, double[] memoryAccuracy, double rhoStable, double rhoAccuracy, int runs) {
    /** |ρ| from which a monotone pattern counts as clear. */
    public static final double CLEAR = 0.7;
    /** The paper's exploding setting of Fig. 6 (DFA, base lr 2e-4, α 1e5): the edge when our sweep shows none. */
    public static final double FALLBACK_LR = 2e-4, FALLBACK_PLASTICITY = 1e5;

    /**
     * Where the clipping sweep runs.
     *
     * @param lr            base lr
     * @param plasticity    α
     * @param explodedShare the share of the sweep's runs in that cell that exploded (NaN for the fallback)
     * @param why           for the fallback, why the sweep gave no edge; empty otherwise
     */
    public record Edge(double lr, double plasticity, double explodedShare, String why) {
        /** True when the edge came from our sweep, false for the paper's setting. */
        public boolean fromSweep() {
            return !Double.isNaN(explodedShare);
        }

        @Override
        public String toString() {
            return fromSweep() ? "edge of stability from eph-sweep: lr " + Numbers.compact(lr) + ", α " + Numbers.compact(plasticity) + " ("
                    + Numbers.percent(explodedShare) + " of its runs exploded without clipping)"
                    : why + ": using the paper's exploding setting of Fig. 6, lr "
                    + Numbers.compact(lr) + ", α " + Numbers.compact(plasticity);
        }
    }

    /**
     * The edge: among the sweep's cells where some runs exploded, the one whose exploded share is
     * closest to one half (the first in lr-then-α order on a tie); the paper's Fig. 6 setting if no
     * run exploded (or the sweep has no usable runs).
     */
    public static Edge edge(StabilityBoundary sweep) {
        if (!sweep.usable()) return new Edge(FALLBACK_LR, FALLBACK_PLASTICITY, Double.NaN, "eph-sweep has no result to take an edge of stability from");
        Table runs = sweep.runs().copy();
        runs.addColumns(DoubleColumn.create("exploded01", runs.stringColumn("outcome").asList().stream()
                .mapToDouble(o -> o.equals(StabilityBoundary.EXPLODED) ? 1 : 0).toArray()));
        GridMeans g = GridMeans.of(runs, "lr", "plasticity", "exploded01");
        Edge best = new Edge(FALLBACK_LR, FALLBACK_PLASTICITY, Double.NaN, "no run of eph-sweep exploded, so it shows no edge of stability");
        for (int i = 0; i < g.xs().length; i++)
            for (int j = 0; j < g.ys().length; j++) {
                double s = g.mean()[j][i];
                if (s > 0 && (!best.fromSweep() || Math.abs(s - 0.5) < Math.abs(best.explodedShare() - 0.5))) best = new Edge(g.xs()[i], g.ys()[j], s, "");
            }
        return best;
    }

    /**
     * A copy of an {@link EphemeralExperiment#ephClip} table with numeric columns for plotting:
     * {@code clip_threshold}, {@code stable_share} (1 stable, 0 not) and {@code seed_id}.
     */
    public static Table forPlot(Table clip) {
        Table t = clip.copy();
        t.addColumns(DoubleColumn.create("clip_threshold", clip.stringColumn("clip").asList().stream().mapToDouble(Double::parseDouble).toArray()),
                DoubleColumn.create("stable_share", clip.stringColumn("stable").asList().stream().mapToDouble(v -> v.equals("true") ? 1 : 0).toArray()),
                DoubleColumn.create("seed_id", clip.stringColumn("seed").asList().stream().mapToDouble(Double::parseDouble).toArray()));
        return t;
    }

    /** Reads a {@link #forPlot} table back: per threshold the stable share and mean memory accuracy, and their ρ with the threshold. */
    public static ClipAtEdge of(Table plotTable) {
        double[] th = plotTable.doubleColumn("clip_threshold").asDoubleArray();
        double[] ts = Arrays.stream(th).distinct().sorted().toArray(), share = new double[ts.length], acc = new double[ts.length];
        for (int i = 0; i < ts.length; i++) {
            Table c = plotTable.where(plotTable.doubleColumn("clip_threshold").isEqualTo(ts[i]));
            share[i] = c.doubleColumn("stable_share").mean();
            acc[i] = memlab.stats.Spread.of(c.doubleColumn("tail_memory_accuracy").asDoubleArray()).mean();
        }
        return new ClipAtEdge(ts, share, acc, Correlation.spearman(ts, share), Correlation.spearman(ts, acc), plotTable.rowCount());
    }

    /** Per threshold, the stable share and memory accuracy, e.g. "0.01: 0/NaN, ...", as compact text. */
    public String describe() {
        StringBuilder sb = new StringBuilder("threshold → stable share, memory accuracy: ");
        for (int i = 0; i < thresholds.length; i++)
            sb.append(i == 0 ? "" : "; ").append(Numbers.compact(thresholds[i])).append(" → ").append(Numbers.percent(stableShare[i])).append(", ")
                    .append(Double.isNaN(memoryAccuracy[i]) ? "n/a" : Numbers.compact(memoryAccuracy[i], 2));
        return sb.toString();
    }

    /**
     * The paper: inconclusive, no clear pattern. Per quantity (stable share, memory accuracy): untestable
     * when ρ is undefined — the reason named (every run unstable, every run stable, no finite accuracy);
     * reproduced when |ρ| &lt; {@link #CLEAR}; not reproduced (a clear monotone pattern) otherwise.
     */
    public Finding judge() {
        Finding stability;
        if (Double.isNaN(rhoStable)) {
            boolean allUnstable = Arrays.stream(stableShare).allMatch(s -> s == 0), allStable = Arrays.stream(stableShare).allMatch(s -> s == 1);
            stability = Finding.untestable("stability vs threshold: Spearman ρ is undefined, " + (allUnstable
                    ? "none of the " + runs + " runs was stable (final loss < 2, not diverged) at any threshold: the stable share is 0 throughout"
                    : allStable ? "all " + runs + " runs were stable at every threshold: the stable share is 1 throughout, so the setting is not at the edge here"
                    : "fewer than 3 thresholds"));
        } else stability = pattern("stability vs threshold", rhoStable);
        Finding accuracy = Double.isNaN(rhoAccuracy)
                ? Finding.untestable("memory accuracy vs threshold: Spearman ρ is undefined (" + (Arrays.stream(memoryAccuracy).allMatch(Double::isNaN)
                  ? "no run has a finite memory accuracy" : "the same accuracy at every threshold, or fewer than 3 with one") + ")")
                : pattern("memory accuracy vs threshold", rhoAccuracy);
        return Finding.combine(stability, accuracy);
    }

    private static Finding pattern(String what, double rho) {
        boolean clear = Math.abs(rho) >= CLEAR;
        return Finding.of(!clear, what + ": Spearman ρ " + Numbers.compact(rho, 2) + (clear ? ", a clear monotone pattern (|ρ| ≥ " + CLEAR + ")"
                : ", no clear monotone pattern (|ρ| < " + CLEAR + "), inconclusive as in the paper"));
    }
}
