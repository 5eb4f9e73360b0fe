package memlab.plot;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Numbers as a person writes them, for every label a figure shows (legends, category ticks,
 * heatmap rows and columns, table cells): {@code 1e-4} not {@code 1.0E-4}, {@code 1e4} not
 * {@code 10000.0}, {@code 0.5} not {@code 0.5000000001}, {@code 3} not {@code 3.0}.
 *
 * <p>Values from 0.01 up to (not including) 10 000 are written in plain decimals, others as
 * {@code m e k}; both keep {@value #DIGITS} significant digits, with trailing zeros dropped, except
 * whole numbers below 10 000, which are written exactly.
 */
public final class Format {
    /** Significant digits kept. */
    public static final int DIGITS = 3;

    /** A number as Java prints it: with an exponent ({@code 1.0E-4}), a {@code .0} tail, or many digits. */
    private static final Pattern JAVA_NUMBER = Pattern.compile(
            "(?<![\\w.])-?\\d+(?:\\.\\d+)?E-?\\d+(?![\\w.])|(?<![\\w.])-?\\d+\\.0(?![\\w.])|(?<![\\w.])-?\\d*\\.\\d{7,}(?![\\w.])");

    private Format() {}

    /** {@code x} compactly: {@code 1e-4}, {@code 3e-4}, {@code 0.01}, {@code 0.5}, {@code 2.5}, {@code 100}, {@code 1e4}, {@code 2.5e5}. */
    public static String number(double x) {
        if (Double.isNaN(x)) return "NaN";
        if (Double.isInfinite(x)) return x > 0 ? "∞" : "−∞";
        if (x == 0) return "0";
        if (x == Math.rint(x) && Math.abs(x) < 1e4) return Long.toString((long) x);   // counts stay exact: 1234, not 1230
        BigDecimal rounded = new BigDecimal(x).round(new MathContext(DIGITS));
        double a = Math.abs(rounded.doubleValue());
        if (a >= 1e-2 && a < 1e4) return rounded.stripTrailingZeros().toPlainString();
        int exponent = rounded.precision() - rounded.scale() - 1;
        BigDecimal mantissa = rounded.movePointLeft(exponent).stripTrailingZeros();
        return mantissa.toPlainString() + "e" + exponent;
    }

    /**
     * A label: when it is a number ({@code "1.0E-4"}, {@code "10000.0"}), written compactly; inside a
     * longer label ({@code "clip 1.0, lr 1.0E-4"}) numbers printed the Java way are rewritten; other
     * text is kept as it is.
     */
    public static String label(String s) {
        if (s == null || s.isEmpty()) return s;
        String t = s.strip();
        if (t.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?")) {
            try {
                return number(Double.parseDouble(t));
            } catch (NumberFormatException ignored) {
                return s;
            }
        }
        Matcher m = JAVA_NUMBER.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) m.appendReplacement(out, Matcher.quoteReplacement(number(Double.parseDouble(m.group()))));
        m.appendTail(out);
        return out.toString();
    }
}
