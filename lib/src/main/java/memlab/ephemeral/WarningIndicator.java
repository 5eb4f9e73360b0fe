package memlab.ephemeral;

import memlab.stats.Finding;
import memlab.stats.Numbers;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * eph-warning, beyond the paper: is the gradient-norm ratio an early-warning indicator of explosion?
 * Reads an {@link EarlyWarning#score} table: the best factor is the one with the largest
 * {@code hit rate − false-alarm rate} (Youden's J); a warning counts as useful when J ≥ {@link #USEFUL}.
 */
public final class WarningIndicator {
    /** The J from which the alarm counts as a useful early warning. */
    public static final double USEFUL = 0.5;

    private WarningIndicator() {}

    /** J of row {@code i}: hit rate − false-alarm rate, a rate with no runs behind it (NaN) counting as 0. */
    public static double youden(Table score, int i) {
        double h = score.doubleColumn("hit_rate").getDouble(i), f = score.doubleColumn("false_alarm_rate").getDouble(i);
        return (Double.isNaN(h) ? 0 : h) - (Double.isNaN(f) ? 0 : f);
    }

    /** The row with the largest J (the first on a tie); -1 for an empty table. */
    public static int best(Table score) {
        int best = -1;
        for (int i = 0; i < score.rowCount(); i++) if (best < 0 || youden(score, i) > youden(score, best)) best = i;
        return best;
    }

    /** The score in long form ({@code factor, rate, value}: one line per rate) for plotting. */
    public static Table longForm(Table score) {
        Table out = Table.create("eph-warning-long", DoubleColumn.create("factor"), StringColumn.create("rate"), DoubleColumn.create("value"));
        for (int i = 0; i < score.rowCount(); i++)
            for (String[] c : new String[][]{{"hit_rate", "hit rate"}, {"false_alarm_rate", "false-alarm rate"}}) {
                out.doubleColumn("factor").append(score.doubleColumn("factor").getDouble(i));
                out.stringColumn("rate").append(c[1]);
                out.doubleColumn("value").append(score.doubleColumn(c[0]).getDouble(i));
            }
        return out;
    }

    /** Untestable without an exploded run; otherwise reproduced when the best factor's J ≥ {@link #USEFUL}. */
    public static Finding judge(Table score) {
        if (score.rowCount() == 0) return Finding.untestable("no alarm factors were scored");
        int exploded = score.intColumn("exploded").get(0), stable = score.intColumn("stable").get(0);
        if (exploded == 0) return Finding.untestable("no run of the sweep exploded (" + stable + " did not), so there is nothing to warn of");
        int b = best(score);
        double j = youden(score, b), lead = score.doubleColumn("median_lead").getDouble(b);
        String text = "best factor " + Numbers.compact(score.doubleColumn("factor").getDouble(b)) + " catches "
                + Numbers.percent(score.doubleColumn("hit_rate").getDouble(b)) + " of the " + exploded + " explosions"
                + (Double.isNaN(lead) ? "" : " (median lead " + Numbers.compact(lead) + " steps)")
                + (stable == 0 ? ", with no run that stayed stable to raise a false alarm"
                : " with " + Numbers.percent(score.doubleColumn("false_alarm_rate").getDouble(b)) + " false alarms among " + stable + " runs that did not explode")
                + " (J = " + Numbers.compact(j, 2) + (j >= USEFUL ? ", a useful early warning" : ", a weak warning at best") + ")";
        return Finding.of(j >= USEFUL, text);
    }
}
