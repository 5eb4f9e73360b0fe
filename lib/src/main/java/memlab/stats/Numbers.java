package memlab.stats;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/**
 * Numbers as a person writes them in a verdict or a printed table: three significant digits,
 * no trailing zeros, powers of ten as {@code 1e-4}, and NaN said in words where it means "none".
 */
public final class Numbers {
    private Numbers() {}

    /**
     * {@code x} with 3 significant digits: {@code 0.352}, {@code 12.5}, {@code 4000}, {@code 1e-4},
     * {@code 2.5e-5}, {@code 1e5}; scientific below 1e-3 and from 1e5 on; "NaN", "Inf", "-Inf" as such.
     */
    public static String compact(double x) {
        return compact(x, 3);
    }

    /** As {@link #compact(double)} with {@code digits} significant digits (1..17). */
    public static String compact(double x, int digits) {
        if (digits < 1 || digits > 17) throw new IllegalArgumentException("digits must be in 1..17, got " + digits);
        if (Double.isNaN(x)) return "NaN";
        if (Double.isInfinite(x)) return x > 0 ? "Inf" : "-Inf";
        if (x == 0) return "0";
        BigDecimal r = new BigDecimal(x).round(new MathContext(digits));
        double a = Math.abs(r.doubleValue());
        if (a >= 1e-3 && a < 1e5) return r.stripTrailingZeros().toPlainString();
        String s = String.format(Locale.ROOT, "%." + (digits - 1) + "e", r.doubleValue());   // e.g. 2.50e-05
        String mant = s.substring(0, s.indexOf('e')), exp = s.substring(s.indexOf('e') + 1);
        if (mant.contains(".")) mant = mant.replaceAll("0+$", "").replaceAll("\\.$", "");
        return mant + "e" + Integer.parseInt(exp);
    }

    /** A share as a percentage without decimals, e.g. {@code 0.375 -> "38%"}; NaN as "n/a". */
    public static String percent(double share) {
        return Double.isNaN(share) ? "n/a" : String.format(Locale.ROOT, "%.0f%%", 100 * share);
    }

    /** {@code x} rounded to {@code digits} significant digits (NaN and infinities unchanged). */
    public static double round(double x, int digits) {
        if (!Double.isFinite(x) || x == 0) return x;
        return new BigDecimal(x).round(new MathContext(digits)).doubleValue();
    }

    private static final java.util.regex.Pattern NUMBER = java.util.regex.Pattern.compile("(?<![\\w.])-?\\d+\\.\\d+(?:E-?\\d+)?(?![\\w.])|(?<![\\w.])-?\\d+E-?\\d+(?![\\w.])");

    /**
     * {@code text} with every decimal number Java wrote ({@code 1.0E-4}, {@code 10000.0}, {@code 0.7}) in {@link #compact} form:
     * {@code "rnn lr 1.0E-4"} → {@code "rnn lr 1e-4"}. Integers without a point are left alone.
     */
    public static String compactText(String text) {
        return NUMBER.matcher(text).replaceAll(m -> compact(Double.parseDouble(m.group()), 4));
    }

    /** A copy of {@code t} for plotting or printing with the text of the named string columns {@link #compactText compacted}. */
    public static Table compactLabels(Table t, String... columns) {
        Table out = t.copy();
        for (String c : columns)
            out.replaceColumn(c, tech.tablesaw.api.StringColumn.create(c, t.stringColumn(c).asList().stream().map(Numbers::compactText).toList()));
        return out;
    }

    /**
     * A copy of {@code t} for printing: every double column rounded to {@code digits} significant digits,
     * so {@code printAll()} shows {@code 0.352} instead of {@code 0.35199999999999998}. Data files keep full precision.
     */
    public static Table rounded(Table t, int digits) {
        Table out = t.copy();
        for (Column<?> c : t.columns())
            if (c instanceof DoubleColumn d) {
                double[] v = d.asDoubleArray();
                for (int i = 0; i < v.length; i++) v[i] = round(v[i], digits);
                out.replaceColumn(c.name(), DoubleColumn.create(c.name(), v));
            }
        return out;
    }
}
