package memlab.ephemeral;

import memlab.stats.Curves;
import memlab.stats.Finding;
import memlab.stats.Numbers;
import memlab.stats.Spread;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.Arrays;
import java.util.Map;

/**
 * eph-gradnorms (Fig. 6) read back: per run whether it exploded and how much each gradient norm
 * grew — {@link #growth} — and the paper's claim tested: the run at the higher lr (2e-4) explodes,
 * its norms growing jointly, while the run at lr 1e-4 settles.
 */
public final class GradientGrowth {
    private GradientGrowth() {}

    /**
     * Growth of a per-step series: the mean of its finite values over the last 10% of the recorded
     * steps (the very last — the diverging step of an exploded run — left out) over the mean over the
     * first 10%; NaN when either is undefined. Above 1: the series grew.
     */
    public static double growth(double[] xs) {
        int n = xs.length, k = Math.max(1, n / 10);
        if (n == 0) return Double.NaN;
        double first = Spread.of(Arrays.copyOfRange(xs, 0, Math.min(k, n))).mean();
        double last = Spread.of(Arrays.copyOfRange(xs, Math.max(0, n - 1 - k), Math.max(1, n - 1))).mean();
        return last / first;
    }

    /** One row per run of an {@link EphemeralExperiment#ephGradnorms} table: {@code lr, seed, exploded, growth_high, growth_low, growth_ratio}. */
    public static Table runs(Table gradnorms) {
        Table t = gradnorms.copy().addColumns(DoubleColumn.create("diverged01", gradnorms.stringColumn("diverged").asList().stream()
                .mapToDouble(s -> s.equals("true") ? 1 : 0).toArray()));
        Map<String, double[]> hi = Curves.byRun(t, EphemeralNet.GRAD_HIGH, "lr", "seed"), lo = Curves.byRun(t, EphemeralNet.GRAD_LOW, "lr", "seed"),
                ra = Curves.byRun(t, EphemeralNet.GRAD_RATIO, "lr", "seed"), d = Curves.byRun(t, "diverged01", "lr", "seed");
        DoubleColumn lr = DoubleColumn.create("lr"), seed = DoubleColumn.create("seed"), gh = DoubleColumn.create("growth_high"),
                gl = DoubleColumn.create("growth_low"), gr = DoubleColumn.create("growth_ratio");
        StringColumn ex = StringColumn.create("exploded");
        for (String key : hi.keySet()) {
            String[] k = key.split("\\|");
            lr.append(Double.parseDouble(k[0]));
            seed.append(Double.parseDouble(k[1]));
            ex.append(String.valueOf(Arrays.stream(d.get(key)).anyMatch(x -> x == 1)));
            gh.append(growth(hi.get(key)));
            gl.append(growth(lo.get(key)));
            gr.append(growth(ra.get(key)));
        }
        return Table.create("eph-gradnorms-runs", lr, seed, ex, gh, gl, gr);
    }

    /** One line per lr: explosions and the growth of each norm (mean ± sample sd over runs). */
    public static String describe(Table runs) {
        StringBuilder sb = new StringBuilder();
        for (double lr : runs.doubleColumn("lr").unique().asList().stream().sorted().mapToDouble(Double::doubleValue).toArray()) {
            Table s = runs.where(runs.doubleColumn("lr").isEqualTo(lr));
            sb.append(String.format("lr %-6s exploded %d of %d; growth first → last 10%% of steps: high %s, low %s, ratio %s%n", Numbers.compact(lr),
                    s.stringColumn("exploded").isEqualTo("true").size(), s.rowCount(), Spread.of(s.doubleColumn("growth_high").asDoubleArray()),
                    Spread.of(s.doubleColumn("growth_low").asDoubleArray()), Spread.of(s.doubleColumn("growth_ratio").asDoubleArray())));
        }
        return sb.toString();
    }

    /**
     * The claim, in two parts, both untestable when no run exploded: the higher lr explodes more often
     * than the lower; the exploding runs' high- and low-plasticity norms both grew (growth &gt; 1).
     */
    public static Finding judge(Table runs, double stableLr, double explodingLr, int steps) {
        Table s = runs.where(runs.doubleColumn("lr").isEqualTo(stableLr)), e = runs.where(runs.doubleColumn("lr").isEqualTo(explodingLr));
        long exS = s.stringColumn("exploded").isEqualTo("true").size(), exE = e.stringColumn("exploded").isEqualTo("true").size();
        String counts = "lr " + Numbers.compact(stableLr) + " exploded in " + exS + " of " + s.rowCount() + " runs, lr " + Numbers.compact(explodingLr)
                + " in " + exE + " of " + e.rowCount();
        if (exS + exE == 0)
            return Finding.untestable("no run exploded within " + steps + " steps at either lr (" + counts + "), so there is no exploding run to compare");
        Finding lessStable = Finding.of(exE > exS, counts);
        Table boom = e.where(e.stringColumn("exploded").isEqualTo("true"));
        Finding joint = boom.rowCount() == 0 ? Finding.untestable("no run at lr " + Numbers.compact(explodingLr) + " exploded")
                : Finding.of(Arrays.stream(boom.doubleColumn("growth_high").asDoubleArray()).allMatch(g -> g > 1)
                        && Arrays.stream(boom.doubleColumn("growth_low").asDoubleArray()).allMatch(g -> g > 1),
                "in the exploding runs at lr " + Numbers.compact(explodingLr) + " the high-plasticity norm grew " + Spread.of(boom.doubleColumn("growth_high").asDoubleArray())
                        + "-fold, the low-plasticity norm " + Spread.of(boom.doubleColumn("growth_low").asDoubleArray()) + "-fold");
        return Finding.combine(lessStable, joint);
    }
}
