package memlab.ephemeral;

import memlab.stats.Curves;
import memlab.stats.Difference;
import memlab.stats.Finding;
import memlab.stats.Numbers;
import memlab.stats.Spread;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.Map;

/**
 * eph-separation (Fig. 8) read back: per run, the share of steps at which the high-plasticity
 * weights' gradient norm lies above the low-plasticity weights', the median ratio of the two, and
 * each norm's volatility (coefficient of variation over steps: sample sd / mean); and the paper's
 * claim tested: two distinct regimes, the high-plasticity one the more volatile.
 */
public final class GradientSeparation {
    /** Coefficients of variation closer than this count as equally volatile. */
    public static final double CV_TOLERANCE = 0.05;

    private GradientSeparation() {}

    /** The two norms of an {@link EphemeralExperiment#ephSeparation} table in long form ({@code step, seed, weights, grad_norm}), for one line per kind. */
    public static Table longForm(Table sep) {
        Table out = Table.create("eph-separation-long", IntColumn.create("step"), DoubleColumn.create("seed"), StringColumn.create("weights"),
                DoubleColumn.create("grad_norm"));
        for (String[] w : new String[][]{{EphemeralNet.GRAD_HIGH, "high plasticity"}, {EphemeralNet.GRAD_LOW, "low plasticity"}}) {
            out.intColumn("step").append(sep.intColumn("step"));
            out.doubleColumn("seed").append(sep.doubleColumn("seed"));
            out.doubleColumn("grad_norm").append(sep.doubleColumn(w[0]));
            for (int i = 0; i < sep.rowCount(); i++) out.stringColumn("weights").append(w[1]);
        }
        return out;
    }

    /** One row per run: {@code seed, share_high_above, median_ratio, cv_high, cv_low} over the steps where both norms are finite. */
    public static Table runs(Table sep) {
        Map<String, double[]> hi = Curves.byRun(sep, EphemeralNet.GRAD_HIGH, "seed"), lo = Curves.byRun(sep, EphemeralNet.GRAD_LOW, "seed");
        DoubleColumn seed = DoubleColumn.create("seed"), above = DoubleColumn.create("share_high_above"), med = DoubleColumn.create("median_ratio"),
                cvH = DoubleColumn.create("cv_high"), cvL = DoubleColumn.create("cv_low");
        for (String key : hi.keySet()) {
            double[] h = hi.get(key), l = lo.get(key), r = new double[h.length];
            int n = 0, a = 0;
            for (int i = 0; i < h.length; i++) {
                boolean ok = Double.isFinite(h[i]) && Double.isFinite(l[i]);
                r[i] = ok ? h[i] / l[i] : Double.NaN;
                if (ok) { n++; if (h[i] > l[i]) a++; }
            }
            seed.append(Double.parseDouble(key));
            above.append(n == 0 ? Double.NaN : (double) a / n);
            med.append(Spread.median(r));
            cvH.append(cv(h));
            cvL.append(cv(l));
        }
        return Table.create("eph-separation-runs", seed, above, med, cvH, cvL);
    }

    /** Coefficient of variation of the finite values: sample sd / mean; NaN with fewer than 2 or a zero mean. */
    public static double cv(double[] xs) {
        Spread s = Spread.of(xs);
        return s.n() < 2 || s.mean() == 0 ? Double.NaN : s.std() / s.mean();
    }

    /**
     * Two parts: <i>two regimes</i> — in every run the high norm lies above the low one in more than 90%
     * of steps, or below it in more than 90% (untestable without finite steps); <i>the high-plasticity
     * norm is the more volatile</i> — its coefficient of variation exceeds the low one's by more than
     * {@link #CV_TOLERANCE} ({@link Difference}).
     */
    public static Finding judge(Table runs) {
        Spread above = Spread.of(runs.doubleColumn("share_high_above").asDoubleArray());
        Finding regimes = above.isEmpty() ? Finding.untestable("no run has a step with both norms finite")
                : Finding.of(above.min() > 0.9 || above.max() < 0.1, "the high-plasticity norm lies above the low one in "
                  + (Numbers.percent(above.min()).equals(Numbers.percent(above.max())) ? Numbers.percent(above.min()) + " of steps in every one of the "
                  + above.n() + " runs" : Numbers.percent(above.min()) + "–" + Numbers.percent(above.max()) + " of steps (range over " + above.n() + " runs)")
                  + "; median ratio high/low " + Spread.of(runs.doubleColumn("median_ratio").asDoubleArray()));
        Difference d = Difference.of(runs.doubleColumn("cv_high").asDoubleArray(), runs.doubleColumn("cv_low").asDoubleArray(), CV_TOLERANCE);
        String words = d.describe("volatility (coefficient of variation over steps)", "high plasticity", "low plasticity");
        Finding volatile_ = new Finding(d.against(Difference.Direction.HIGHER), words);
        return Finding.combine(regimes, volatile_);
    }
}
