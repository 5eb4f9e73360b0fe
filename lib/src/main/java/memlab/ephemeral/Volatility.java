package memlab.ephemeral;

import memlab.core.Check;
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
 * eph-volatility (Figs. 3–4) read back: per run the peak of its trailing memory accuracy, its final
 * value, and whether it collapsed — exploded, or ended below half its peak; and the paper's claim
 * tested: the ephemeral model climbs and then collapses, the baseline converges.
 */
public final class Volatility {
    private Volatility() {}

    /**
     * One row per run of an {@link EphemeralExperiment#ephVolatility} table: {@code label, seed,
     * peak_memory_accuracy} (highest trailing mean over {@code window} steps), {@code final_memory_accuracy}
     * (mean of the last {@code tail} steps), {@code diverged}, {@code collapsed} (diverged, or final &lt; peak / 2).
     */
    public static Table runs(Table curves, int window, int tail) {
        Check.positive("window", window);
        Check.positive("tail", tail);
        StringColumn label = StringColumn.create("label"), div = StringColumn.create("diverged"), col = StringColumn.create("collapsed");
        DoubleColumn seed = DoubleColumn.create("seed"), peak = DoubleColumn.create("peak_memory_accuracy"), fin = DoubleColumn.create("final_memory_accuracy");
        Table flagged = curves.copy().addColumns(DoubleColumn.create("diverged01", curves.stringColumn("diverged").asList().stream()
                .mapToDouble(s -> s.equals("true") ? 1 : 0).toArray()));
        Map<String, double[]> mem = Curves.byRun(flagged, "memory_accuracy", "label", "seed"), d = Curves.byRun(flagged, "diverged01", "label", "seed");
        for (String key : mem.keySet()) {
            String[] k = key.split("\\|");
            double p = Arrays.stream(Curves.trailingMean(mem.get(key), window)).filter(Double::isFinite).max().orElse(Double.NaN);
            double f = Curves.tailMean(mem.get(key), tail);
            boolean diverged = Arrays.stream(d.get(key)).anyMatch(x -> x == 1);
            label.append(k[0]);
            seed.append(Double.parseDouble(k[1]));
            peak.append(p);
            fin.append(f);
            div.append(String.valueOf(diverged));
            col.append(String.valueOf(diverged || f < p / 2));
        }
        return Table.create("eph-volatility-runs", label, seed, peak, fin, div, col);
    }

    /** One line per label of {@link #runs}: peak and final memory accuracy (mean ± sample sd) and how many runs collapsed. */
    public static String describe(Table runs) {
        StringBuilder sb = new StringBuilder();
        for (String label : runs.stringColumn("label").unique().asList()) {
            Table s = runs.where(runs.stringColumn("label").isEqualTo(label));
            sb.append(String.format("%-30s peak %s; final %s; collapsed %d of %d (exploded %d)%n", Numbers.compactText(label),
                    Spread.of(s.doubleColumn("peak_memory_accuracy").asDoubleArray()), Spread.of(s.doubleColumn("final_memory_accuracy").asDoubleArray()),
                    s.stringColumn("collapsed").isEqualTo("true").size(), s.rowCount(), s.stringColumn("diverged").isEqualTo("true").size()));
        }
        return sb.toString();
    }

    /**
     * The claim: ephemeral runs (labels starting "ephemeral") climb and then collapse; baseline runs
     * (labels starting "rnn") do not collapse. Untestable for a group without runs or whose
     * memory accuracy is NaN throughout.
     */
    public static Finding judge(Table runs) {
        Table eph = runs.where(runs.stringColumn("label").startsWith("ephemeral")), rnn = runs.where(runs.stringColumn("label").startsWith("rnn"));
        Spread ephPeak = Spread.of(eph.doubleColumn("peak_memory_accuracy").asDoubleArray());
        long ephCol = eph.stringColumn("collapsed").isEqualTo("true").size(), rnnCol = rnn.stringColumn("collapsed").isEqualTo("true").size();
        Finding climbCollapse = ephPeak.isEmpty() ? Finding.untestable("no ephemeral run has a finite memory accuracy (" + eph.rowCount() + " runs)")
                : Finding.of(ephCol > 0, "ephemeral runs peak at memory accuracy " + Numbers.compact(ephPeak.max()) + " (best run; paper ~0.75), "
                  + ephCol + " of " + eph.rowCount() + " collapse (exploded, or ended below half their peak)");
        Finding converges = rnn.rowCount() == 0 ? Finding.untestable("no baseline runs")
                : Finding.of(rnnCol == 0, rnnCol + " of " + rnn.rowCount() + " baseline runs collapse (final memory accuracy "
                  + Spread.of(rnn.doubleColumn("final_memory_accuracy").asDoubleArray()) + ")");
        return Finding.combine(climbCollapse, converges);
    }
}
