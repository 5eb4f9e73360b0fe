package memlab.ephemeral;

import memlab.core.Check;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.List;

/**
 * Does the high/low gradient-norm ratio warn of an explosion (paper §4.3.1: "in models that
 * eventually explode, the gradient ratio consistently grows from the start")?
 *
 * <p>Rule: a run raises an alarm at the first step {@code s ≥ 2w} where the mean ratio over steps
 * {@code (s−w, s]} exceeds {@code factor} × the mean ratio over its first {@code w} steps. For a run
 * that exploded at step {@code d} the alarm is a hit if it comes before {@code d}, with lead time
 * {@code d − s}; an alarm in a run that never exploded is a false alarm.
 */
public final class EarlyWarning {
    private EarlyWarning() {}

    /** The step of the first alarm of one run's ratio series (one value per step), or -1. */
    public static int alarm(double[] ratio, int window, double factor) {
        Check.positive("window", window);
        Check.positive("factor", factor);
        if (ratio.length < 2 * window) return -1;
        double base = 0;
        for (int i = 0; i < window; i++) base += ratio[i];
        base /= window;
        double recent = 0;
        for (int i = window; i < 2 * window; i++) recent += ratio[i];
        for (int s = 2 * window - 1; s < ratio.length; s++) {
            if (s >= 2 * window) recent += ratio[s] - ratio[s - window];
            if (!Double.isFinite(recent)) return -1;
            if (recent / window > factor * base) return s;
        }
        return -1;
    }

    /**
     * Scores the rule over runs.
     *
     * @param curves     per-step table with columns {@code run}, {@code step}, {@value EphemeralNet#GRAD_RATIO}
     * @param divergedAt per run, the step it exploded at, or -1
     * @param factors    thresholds to try
     * @return one row per factor: {@code factor, window, exploded, stable, hits, hit_rate, false_alarms,
     *         false_alarm_rate, median_lead, min_lead}
     */
    public static Table score(Table curves, int[] divergedAt, int window, double... factors) {
        Table out = Table.create("eph-warning");
        DoubleColumn fac = DoubleColumn.create("factor"), hitRate = DoubleColumn.create("hit_rate"), faRate = DoubleColumn.create("false_alarm_rate"),
                medLead = DoubleColumn.create("median_lead"), minLead = DoubleColumn.create("min_lead");
        IntColumn win = IntColumn.create("window"), exploded = IntColumn.create("exploded"), stable = IntColumn.create("stable"),
                hits = IntColumn.create("hits"), fas = IntColumn.create("false_alarms");
        for (double f : factors) {
            int nExp = 0, nStable = 0, nHit = 0, nFa = 0;
            List<Integer> leads = new ArrayList<>();
            for (int r = 0; r < divergedAt.length; r++) {
                Table run = curves.where(curves.intColumn("run").isEqualTo(r));
                double[] ratio = run.doubleColumn(EphemeralNet.GRAD_RATIO).asDoubleArray();
                int d = divergedAt[r];
                // the ratio at the diverging step itself is not a warning
                int usable = d >= 0 ? Math.min(ratio.length, d) : ratio.length;
                double[] series = java.util.Arrays.copyOf(ratio, usable);
                int a = alarm(series, window, f);
                if (d >= 0) {
                    nExp++;
                    if (a >= 0) {
                        nHit++;
                        leads.add(d - a);
                    }
                } else {
                    nStable++;
                    if (a >= 0) nFa++;
                }
            }
            leads.sort(null);
            fac.append(f);
            win.append(window);
            exploded.append(nExp);
            stable.append(nStable);
            hits.append(nHit);
            hitRate.append(nExp == 0 ? Double.NaN : (double) nHit / nExp);
            fas.append(nFa);
            faRate.append(nStable == 0 ? Double.NaN : (double) nFa / nStable);
            medLead.append(leads.isEmpty() ? Double.NaN : leads.get(leads.size() / 2));
            minLead.append(leads.isEmpty() ? Double.NaN : leads.get(0));
        }
        out.addColumns(fac, win, exploded, stable, hits, hitRate, fas, faRate, medLead, minLead);
        return out;
    }
}
