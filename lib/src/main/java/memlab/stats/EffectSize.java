package memlab.stats;

import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** How much of a quantity's variation a grouping explains: eta-squared of a one-way layout. */
public final class EffectSize {
    private EffectSize() {}

    /**
     * {@code η² = SS_between / SS_total = Σ_g n_g (ȳ_g − ȳ)² / Σ_i (y_i − ȳ)²}: the share of the
     * variance of {@code y} explained by the group each value belongs to (0: none, 1: all). Only finite
     * {@code y} count. NaN — undefined — when fewer than 2 values remain or they are all equal.
     *
     * @param y      the values
     * @param groups the group of each value (any objects with equals, e.g. a factor level)
     */
    public static double etaSquared(double[] y, Object[] groups) {
        if (y.length != groups.length) throw new IllegalArgumentException("y has " + y.length + " values, groups " + groups.length);
        double sum = 0;
        int n = 0;
        Map<Object, double[]> g = new LinkedHashMap<>();   // group -> {sum, count}
        for (int i = 0; i < y.length; i++) {
            if (!Double.isFinite(y[i])) continue;
            sum += y[i];
            n++;
            double[] acc = g.computeIfAbsent(Objects.requireNonNull(groups[i], "groups[" + i + "]"), k -> new double[2]);
            acc[0] += y[i];
            acc[1]++;
        }
        if (n < 2) return Double.NaN;
        double mean = sum / n, total = 0, between = 0;
        for (double v : y) if (Double.isFinite(v)) total += (v - mean) * (v - mean);
        for (double[] acc : g.values()) between += acc[1] * Math.pow(acc[0] / acc[1] - mean, 2);
        return total == 0 ? Double.NaN : between / total;
    }

    /** {@link #etaSquared(double[], Object[])} of the numeric column {@code metric} of {@code t} grouped by column {@code factor}. */
    public static double etaSquared(Table t, String factor, String metric) {
        double[] y = ((NumericColumn<?>) t.column(metric)).asDoubleArray();
        Object[] groups = new Object[t.rowCount()];
        for (int i = 0; i < groups.length; i++) groups[i] = t.getString(i, factor);
        return etaSquared(y, groups);
    }
}
