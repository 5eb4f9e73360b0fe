package memlab.core;

import java.util.Arrays;
import java.util.Collection;

/**
 * Fail-fast argument checks. Every message names the argument, the value it got and the allowed
 * range, so a wrong notebook parameter is fixed from the message alone.
 */
public final class Check {
    private Check() {}

    /** Requires {@code value > 0}. */
    public static int positive(String name, int value) {
        if (value <= 0) throw new IllegalArgumentException(name + " must be a positive integer (> 0), got " + value);
        return value;
    }

    /** Requires {@code value > 0} and finite. */
    public static double positive(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value))
            throw new IllegalArgumentException(name + " must be a finite number > 0, got " + value);
        return value;
    }

    /** Requires {@code value >= 0} (infinity allowed, e.g. "no clipping"). */
    public static double nonNegative(String name, double value) {
        if (!(value >= 0)) throw new IllegalArgumentException(name + " must be >= 0, got " + value);
        return value;
    }

    /** Requires {@code value >= 0}. */
    public static int nonNegative(String name, int value) {
        if (value < 0) throw new IllegalArgumentException(name + " must be >= 0, got " + value);
        return value;
    }

    /** Requires {@code lo <= value <= hi}. */
    public static double inRange(String name, double value, double lo, double hi) {
        if (!(value >= lo && value <= hi))
            throw new IllegalArgumentException(name + " must be in [" + lo + ", " + hi + "], got " + value);
        return value;
    }

    /** Requires {@code lo <= value <= hi}. */
    public static int inRange(String name, int value, int lo, int hi) {
        if (value < lo || value > hi) throw new IllegalArgumentException(name + " must be in [" + lo + ", " + hi + "], got " + value);
        return value;
    }

    /** Requires a value (for an enum, the message lists its constants). */
    public static <T> T notNull(String name, T value) {
        if (value == null) throw new IllegalArgumentException(name + " must not be null");
        return value;
    }

    /** Requires one of the constants of an enum, not null; the message lists them. */
    public static <E extends Enum<E>> E oneOf(String name, E value, Class<E> type) {
        if (value == null)
            throw new IllegalArgumentException(name + " must be one of " + Arrays.toString(type.getEnumConstants()).replaceAll("[\\[\\]]", "") + ", got null");
        return value;
    }

    /**
     * The constant of {@code values} whose {@code label} equals {@code given} (case and surrounding blanks
     * ignored): how every named switch of the lab (memory init, activation, attention kind, …) is parsed.
     *
     * @param name the argument's name, for the message
     * @throws IllegalArgumentException naming the argument, the allowed labels and what was given
     */
    public static <E> E named(String name, String given, E[] values, java.util.function.Function<E, String> label) {
        String g = given == null ? null : given.trim();
        for (E v : values) if (label.apply(v).equalsIgnoreCase(g)) return v;
        throw new IllegalArgumentException(name + " must be one of " + Arrays.stream(values).map(label).toList()
                + ", got " + (given == null ? "null" : "'" + given + "'"));
    }

    /** Requires at least one seed; returns a copy, so a record holding it cannot be changed from outside. */
    public static long[] seeds(String name, long[] seeds) {
        if (seeds == null || seeds.length == 0)
            throw new IllegalArgumentException(name + " must list at least one seed, got " + (seeds == null ? "null" : "none"));
        return seeds.clone();
    }

    /** Requires a non-null array with at least one entry. */
    public static double[] nonEmpty(String name, double[] values) {
        if (values == null || values.length == 0)
            throw new IllegalArgumentException(name + " must have at least one entry, got " + (values == null ? "null" : "none"));
        return values;
    }

    /** Requires {@code value} to be one of {@code allowed}. */
    public static <T> T oneOf(String name, T value, Collection<T> allowed) {
        if (!allowed.contains(value))
            throw new IllegalArgumentException(name + " must be one of " + allowed + ", got " + value);
        return value;
    }

    /** Requires every element of {@code values} to be {@code > 0}. */
    public static double[] allPositive(String name, double[] values) {
        for (double v : values)
            if (!(v > 0) || Double.isInfinite(v))
                throw new IllegalArgumentException(name + " must all be finite numbers > 0, got " + Arrays.toString(values));
        return values;
    }

    /** Requires a non-null, non-empty array. */
    public static <T> T[] nonEmpty(String name, T[] values) {
        if (values == null || values.length == 0) throw new IllegalArgumentException(name + " must not be empty");
        return values;
    }
}
