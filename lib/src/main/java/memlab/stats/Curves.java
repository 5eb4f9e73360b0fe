package memlab.stats;

import memlab.core.Check;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-step training curves (one row per run and step, rows of a run in step order, as a
 * {@link memlab.train.RunRecorder} writes them) read back run by run: trailing means, "final"
 * values, the first step a level is reached, and smoothed, thinned copies for plotting. A run is
 * named by the values of some columns (e.g. {@code label} and {@code seed}).
 */
public final class Curves {
    private Curves() {}

    /** The values of {@code metric} of every run, in step order; the key joins the {@code by} values with "|". */
    public static Map<String, double[]> byRun(Table t, String metric, String... by) {
        Map<String, List<Double>> acc = new LinkedHashMap<>();
        NumericColumn<?> col = (NumericColumn<?>) t.column(metric);
        for (int i = 0; i < t.rowCount(); i++) acc.computeIfAbsent(key(t, i, by), k -> new ArrayList<>()).add(col.getDouble(i));
        Map<String, double[]> out = new LinkedHashMap<>();
        acc.forEach((k, v) -> out.put(k, v.stream().mapToDouble(Double::doubleValue).toArray()));
        return out;
    }

    /** Mean of the last {@code k} non-NaN values, {@code (1/k) Σ x_i}; NaN if there are none. */
    public static double tailMean(double[] xs, int k) {
        Check.positive("k", k);
        double s = 0;
        int n = 0;
        for (int i = xs.length - 1; i >= 0 && n < k; i--) {
            if (Double.isNaN(xs[i])) continue;
            s += xs[i];
            n++;
        }
        return n == 0 ? Double.NaN : s / n;
    }

    /** The first index {@code i} at which the trailing mean over {@code window} values reaches {@code level}, or -1. */
    public static int firstReach(double[] xs, double level, int window) {
        double[] m = trailingMean(xs, window);
        for (int i = window - 1; i < m.length; i++) if (m[i] >= level) return i;
        return -1;
    }

    /** Trailing mean over the last {@code window} non-NaN values up to each index (NaN until one exists). */
    public static double[] trailingMean(double[] xs, int window) {
        Check.positive("window", window);
        double[] out = new double[xs.length];
        double s = 0;
        java.util.ArrayDeque<Double> q = new java.util.ArrayDeque<>();
        for (int i = 0; i < xs.length; i++) {
            if (!Double.isNaN(xs[i])) {
                q.addLast(xs[i]);
                s += xs[i];
                if (q.size() > window) s -= q.removeFirst();
            }
            out[i] = q.isEmpty() ? Double.NaN : s / q.size();
        }
        return out;
    }

    /**
     * A copy of {@code t} for plotting: each of {@code metrics} replaced, run by run, by its trailing
     * mean over {@code window} steps, and only every {@code every}-th row of each run kept.
     */
    public static Table smoothed(Table t, int window, int every, List<String> by, String... metrics) {
        Check.positive("every", every);
        String[] keys = by.toArray(new String[0]);
        Table out = t.copy();
        for (String metric : metrics) {
            Map<String, double[]> runs = byRun(t, metric, keys);
            Map<String, double[]> smooth = new LinkedHashMap<>();
            runs.forEach((k, v) -> smooth.put(k, trailingMean(v, window)));
            Map<String, Integer> pos = new LinkedHashMap<>();
            double[] col = new double[t.rowCount()];
            for (int i = 0; i < t.rowCount(); i++) {
                String k = key(t, i, keys);
                int p = pos.merge(k, 1, Integer::sum) - 1;
                col[i] = smooth.get(k)[p];
            }
            out.replaceColumn(metric, DoubleColumn.create(metric, col));
        }
        Map<String, Integer> pos = new LinkedHashMap<>();
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < t.rowCount(); i++) {
            int p = pos.merge(key(t, i, keys), 1, Integer::sum) - 1;
            if (p % every == 0) rows.add(i);
        }
        return out.rows(rows.stream().mapToInt(Integer::intValue).toArray());
    }

    private static String key(Table t, int row, String[] by) {
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < by.length; j++) {
            if (j > 0) sb.append('|');
            sb.append(t.getString(row, by[j]));
        }
        return sb.toString();
    }
}
