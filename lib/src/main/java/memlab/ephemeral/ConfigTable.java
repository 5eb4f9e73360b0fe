package memlab.ephemeral;

import memlab.notebook.Outcome;
import memlab.stats.Finding;
import memlab.stats.Numbers;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.List;

/**
 * eph-configs (Table 1): the paper's category for each model × updater × recurrence, ours from the
 * numbers, and an exact comparison of the two. The paper does not define its categories; ours are,
 * from the mean final memory accuracy {@code m} (chance {@link #CHANCE}) and the share {@code d} of
 * runs that diverged, checked in this order:
 * <ol>
 *   <li><b>poor</b> if most runs diverged ({@code d > 0.5}: the paper's "rapid gradient explosion");</li>
 *   <li><b>fail</b> if nothing was learnt where memory is needed ({@code m < chance + 0.1});</li>
 *   <li><b>poor</b> if {@code m < 0.4};</li>
 *   <li><b>good</b> if {@code m ≥ 0.7} and no run diverged;</li>
 *   <li><b>mixed</b> otherwise.</li>
 * </ol>
 * "Fail" and "Poor" are different categories: a configuration agrees only if the categories are equal.
 */
public final class ConfigTable {
    /** Chance level of the memory accuracy on key recall: one of five symbols. */
    public static final double CHANCE = 0.2;

    private ConfigTable() {}

    /** The four categories of Table 1 (and "n/a" where our numbers are undefined). */
    public enum Category {
        GOOD("Good"), MIXED("Mixed"), POOR("Poor"), FAIL("Fail"), UNDEFINED("n/a");

        private final String word;

        Category(String word) {
            this.word = word;
        }

        @Override
        public String toString() {
            return word;
        }
    }

    /** Table 1 of the paper: the category of {@code model} ("rnn" or "ephemeral") with {@code updater} ("dfa", "backprop", "bptt"). */
    public static Category paper(String model, String updater, boolean recurrence) {
        return switch (model + "/" + updater) {
            case "rnn/dfa" -> Category.FAIL;
            case "rnn/backprop", "rnn/bptt" -> recurrence ? Category.GOOD : Category.POOR;
            case "ephemeral/dfa" -> Category.GOOD;
            case "ephemeral/backprop" -> Category.POOR;
            case "ephemeral/bptt" -> recurrence ? Category.MIXED : Category.FAIL;
            default -> throw new IllegalArgumentException("model/updater '" + model + "/" + updater
                    + "' is not in Table 1 (model rnn|ephemeral, updater dfa|backprop|bptt)");
        };
    }

    /** Our category from the mean final memory accuracy and the share of runs that diverged (rules in the class comment). */
    public static Category ours(double memoryAccuracy, double divergedShare) {
        if (divergedShare > 0.5) return Category.POOR;
        if (Double.isNaN(memoryAccuracy) || Double.isNaN(divergedShare)) return Category.UNDEFINED;
        if (memoryAccuracy < CHANCE + 0.1) return Category.FAIL;
        if (memoryAccuracy < 0.4) return Category.POOR;
        if (memoryAccuracy >= 0.7 && divergedShare == 0) return Category.GOOD;
        return Category.MIXED;
    }

    /** A copy of an {@link EphemeralExperiment#ephConfigs} table with columns {@code paper}, {@code ours}, {@code agree} (exact match; "n/a" if ours is undefined). */
    public static Table compare(Table configs) {
        Table out = configs.copy();
        StringColumn p = StringColumn.create("paper"), o = StringColumn.create("ours"), a = StringColumn.create("agree");
        for (int i = 0; i < configs.rowCount(); i++) {
            Category pc = paper(configs.getString(i, "model"), configs.getString(i, "updater"), configs.getString(i, "recurrence").equals("true"));
            Category oc = ours(configs.doubleColumn("final_memory_accuracy").getDouble(i), configs.doubleColumn("diverged_share").getDouble(i));
            p.append(pc.toString());
            o.append(oc.toString());
            a.append(oc == Category.UNDEFINED ? "n/a" : String.valueOf(oc == pc));
        }
        return out.addColumns(p, o, a);
    }

    /** Each configuration's name, e.g. {@code "ephemeral dfa +rec (paper: Good)"}, for axis labels. */
    public static List<String> names(Table compared) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < compared.rowCount(); i++)
            out.add(compared.getString(i, "model") + " " + compared.getString(i, "updater") + (compared.getString(i, "recurrence").equals("true") ? " +rec" : " −rec")
                    + (compared.containsColumn("paper") ? " (paper: " + compared.getString(i, "paper") + ")" : ""));
        return out;
    }

    /**
     * The verdict on a {@link #compare}d table: reproduced if every configuration gets the paper's category,
     * partly if at least half do, not reproduced otherwise; untestable if no row has a category of ours.
     */
    public static Finding judge(Table compared) {
        int n = 0, agree = 0;
        List<String> differ = new ArrayList<>();
        for (int i = 0; i < compared.rowCount(); i++) {
            String a = compared.getString(i, "agree");
            if (a.equals("n/a")) continue;
            n++;
            if (a.equals("true")) agree++;
            else differ.add(compared.getString(i, "model") + " " + compared.getString(i, "updater") + (compared.getString(i, "recurrence").equals("true")
                    ? " +rec" : " −rec") + " (paper " + compared.getString(i, "paper") + ", ours " + compared.getString(i, "ours") + ", memory accuracy "
                    + Numbers.compact(compared.doubleColumn("final_memory_accuracy").getDouble(i), 2) + ", diverged "
                    + Numbers.percent(compared.doubleColumn("diverged_share").getDouble(i)) + ")");
        }
        if (n == 0) return Finding.untestable("no configuration has a category of ours (memory accuracy undefined in all " + compared.rowCount() + ")");
        String undefined = n < compared.rowCount() ? "; " + (compared.rowCount() - n) + " without a category of ours (memory accuracy undefined)" : "";
        String text = agree + " of " + n + " configurations get exactly the paper's category" + undefined
                + (differ.isEmpty() ? "" : "; they differ on " + String.join(", ", differ));
        Outcome o = agree == n ? Outcome.REPRODUCED : 2 * agree >= n ? Outcome.PARTLY : Outcome.NOT_REPRODUCED;
        return new Finding(o, text);
    }
}
