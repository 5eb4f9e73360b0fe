package memlab.plot;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Axis titles in words for the column names the experiments record: a chart given a raw column
 * ({@code link_grad_norm}) titles its axis {@code "linked read-gradient norm"} unless the caller sets
 * a title. Units are given where there are units; columns holding a share (accuracy, rates) are
 * marked so their axes run from 0 to 1.
 *
 * <p>A notebook can name its own columns, or rename one for its figures:
 * {@code Labels.put("loss", "loss (MSE)")}. An unregistered column is titled by its name with
 * underscores as spaces, so no axis shows {@code snake_case}.
 */
public final class Labels {
    /** A column's words, and whether its values are a share in [0, 1]. */
    private record Label(String text, boolean share) {}

    /** Raw names: lower-case words joined by underscores, as the recorders write columns. */
    static final Pattern SNAKE_CASE = Pattern.compile("[a-z][a-z0-9]*(_[a-z0-9]+)+");

    private static final Map<String, Label> LABELS = new ConcurrentHashMap<>();

    static {
        // time
        put("epoch", "epoch");
        put("step", "step");
        put("seed", "seed");
        put("run", "run");
        put("window", "window (steps)");
        put("wall_s", "wall time (s)");
        // losses: the copy task (EGL) is a regression (MSE), the ephemeral-weights tasks predict characters
        put("loss", "loss");
        put("final_loss", "final loss (MSE)");
        put("tail_loss", "final loss (cross-entropy, nats)");
        // gradients
        put("grad_norm", "gradient norm");
        put("link_grad_norm", "linked read-gradient norm");
        put("grad_norm_high", "gradient norm, high-plasticity weights");
        put("grad_norm_low", "gradient norm, low-plasticity weights");
        put("grad_ratio", "gradient-norm ratio high / low");
        put("ephemeral_max", "largest |ephemeral weight|");
        // settings of the sweeps
        put("lr", "learning rate");
        put("plasticity", "plasticity factor α");
        put("clip", "clip threshold");
        put("clip_threshold", "clip threshold");
        put("factor", "alarm factor (× early ratio)");
        put("link", "link");   // the gradient link of EGL: series "link on", "link off"
        put("diverged_at", "diverged at step");
        put("median_lead", "median lead (steps)");
        put("min_lead", "shortest lead (steps)");
        // shares in [0, 1]
        share("accuracy", "accuracy");
        share("memory_accuracy", "accuracy where memory is needed");
        share("final_accuracy", "final accuracy");
        share("final_memory_accuracy", "final accuracy where memory is needed");
        share("tail_accuracy", "final accuracy");
        share("tail_memory_accuracy", "final accuracy where memory is needed");
        share("stable_share", "share of stable runs");
        share("diverged_share", "share of diverged runs");
        share("share", "share of samples");
        share("hit_rate", "hit rate");                  // share of the exploded runs warned before they exploded
        share("false_alarm_rate", "false-alarm rate");  // share of the stable runs warned
        share("read_follows_write", "share of reads following the write");
    }

    private Labels() {}

    /** Titles axes of column {@code column} with {@code text} from now on (e.g. {@code put("loss", "loss (MSE)")}). */
    public static void put(String column, String text) {
        if (column == null || column.isBlank()) throw new IllegalArgumentException("column must be a name, got '" + column + "'");
        if (text == null || text.isBlank()) throw new IllegalArgumentException("label of '" + column + "' must be text, got '" + text + "'");
        LABELS.merge(column, new Label(text, false), (old, neu) -> new Label(text, old.share()));
    }

    /** Like {@link #put}, for a column whose values are a share in [0, 1] (its axes then run from 0 to 1). */
    public static void share(String column, String text) {
        put(column, text);
        LABELS.put(column, new Label(text, true));
    }

    /** The words for {@code column}: its registered label, else its name with underscores as spaces. */
    public static String of(String column) {
        if (column == null) return "";
        Label l = LABELS.get(column);
        return l != null ? l.text() : column.replace('_', ' ');
    }

    /** Whether {@code column} has a registered label. */
    public static boolean known(String column) {
        return column != null && LABELS.containsKey(column);
    }

    /** Whether the values of {@code column} are a share in [0, 1]. */
    public static boolean isShare(String column) {
        Label l = column == null ? null : LABELS.get(column);
        return l != null && l.share();
    }

    /** The registered columns. */
    public static Set<String> columns() {
        return Set.copyOf(LABELS.keySet());
    }

    /**
     * Whether an axis title is a raw column name rather than words: {@code snake_case}, or one of
     * {@code columns} (the figure's data) or of the registered columns whose label is different
     * from the name itself ({@code "epoch"} is fine, {@code "lr"} is not). Generic names of a
     * long-format table ({@code value}, {@code variable}) count as raw too.
     */
    public static boolean isRaw(String title, Collection<String> columns) {
        if (title == null || title.isBlank()) return false;
        String t = title.strip();
        if (SNAKE_CASE.matcher(t).matches()) return true;
        if (GENERIC.contains(t)) return true;
        boolean column = columns.contains(t) || LABELS.containsKey(t);
        return column && !of(t).equals(t);
    }

    /** Column names a long-format ("melted") table uses for whatever it holds. */
    static final Set<String> GENERIC = Set.of("value", "values", "variable", "y", "x", "metric");
}
