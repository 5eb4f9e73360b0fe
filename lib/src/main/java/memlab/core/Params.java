package memlab.core;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Notebook parameters: the quick/paper mode, the output folder, and typed settings that can be
 * overridden from outside without editing the notebook.
 *
 * <p>{@code MEMLAB_MODE} = {@code quick} (small, for tests), {@code paper} (the paper's settings,
 * the default) or {@code long} (the paper's settings, and a longer training budget where a notebook
 * offers one; never run by the tests; a setting without a long value takes its paper value). A setting is declared with its quick and paper values, e.g.
 * {@code int epochs = Params.integer("epochs", 5, 300);}, and may be overridden by the environment
 * variable {@code MEMLAB_EPOCHS} or the system property {@code memlab.epochs}. An override of the
 * wrong type fails at once with a message naming the setting and the expected type.
 */
public final class Params {
    /** The modes: every notebook runs in quick and paper; long is paper with longer training where a notebook offers it. */
    public enum Mode { QUICK, PAPER, LONG }

    private Params() {}

    /** The mode from {@code MEMLAB_MODE} (default {@code paper}). */
    public static Mode mode() {
        String m = lookup("mode");
        if (m == null) return Mode.PAPER;
        return switch (m.trim().toLowerCase(Locale.ROOT)) {
            case "quick" -> Mode.QUICK;
            case "paper" -> Mode.PAPER;
            case "long" -> Mode.LONG;
            default -> throw new IllegalArgumentException("MEMLAB_MODE must be one of quick, paper, long; got '" + m + "'");
        };
    }

    /** Whether the notebook runs in quick mode. */
    public static boolean quick() {
        return mode() == Mode.QUICK;
    }

    /** Whether the notebook runs in long mode (paper settings, longer training where offered). */
    public static boolean longMode() {
        return mode() == Mode.LONG;
    }

    /** Where figures and CSV files go: {@code MEMLAB_OUT}, else {@code out} under the working directory. */
    public static Path outDir() {
        String o = lookup("out");
        return Path.of(o == null || o.isBlank() ? "out" : o);
    }

    /** An integer setting: {@code quick} or {@code paper} by mode, unless overridden. */
    public static int integer(String name, int quick, int paper) {
        String o = lookup(name);
        if (o == null) return quick() ? quick : paper;
        try {
            return Integer.parseInt(o.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("parameter '" + name + "' must be an integer, got '" + o + "' (from " + source(name) + ")");
        }
    }

    /** An integer setting with a value of its own in long mode: {@code quick}, {@code paper} or {@code long} by mode, unless overridden. */
    public static int integer(String name, int quick, int paper, int long_) {
        return lookup(name) == null && longMode() ? long_ : integer(name, quick, paper);
    }

    /**
     * A real-valued setting: {@code quick} or {@code paper} by mode, unless overridden. An override
     * must be a number; {@code NaN} is refused (it would pass every later range check unnoticed),
     * {@code Infinity} is a number (e.g. "no clipping").
     */
    public static double real(String name, double quick, double paper) {
        String o = lookup(name);
        if (o == null) return quick() ? quick : paper;
        double v;
        try {
            v = Double.parseDouble(o.trim());
        } catch (NumberFormatException e) {
            v = Double.NaN;
        }
        if (Double.isNaN(v))
            throw new IllegalArgumentException("parameter '" + name + "' must be a number (not NaN), got '" + o + "' (from " + source(name) + ")");
        return v;
    }

    /** A boolean setting ({@code true}/{@code false}), unless overridden. */
    public static boolean flag(String name, boolean quick, boolean paper) {
        String o = lookup(name);
        if (o == null) return quick() ? quick : paper;
        return switch (o.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("parameter '" + name + "' must be true or false, got '" + o + "' (from " + source(name) + ")");
        };
    }

    /** A list of seeds {@code 0..n-1}, {@code n} by mode unless {@code MEMLAB_SEEDS} overrides it. */
    public static long[] seeds(int quick, int paper) {
        int n = Check.positive("seeds", integer("seeds", quick, paper));
        long[] s = new long[n];
        for (int i = 0; i < n; i++) s[i] = i;
        return s;
    }

    private static String lookup(String name) {
        String p = System.getProperty("memlab." + name);
        if (p != null) return p;
        return System.getenv("MEMLAB_" + name.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    private static String source(String name) {
        return System.getProperty("memlab." + name) != null ? "system property memlab." + name
                : "environment variable MEMLAB_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
    }
}
