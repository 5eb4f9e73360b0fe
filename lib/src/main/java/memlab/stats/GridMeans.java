package memlab.stats;

import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;

import java.util.Arrays;
import java.util.List;

/**
 * The mean of a metric in every cell of a two-factor grid (e.g. base lr × plasticity), from a table
 * with one row per run: {@code mean[j][i]} is the mean of the finite values of the runs with
 * {@code x = xs[i]} and {@code y = ys[j]} (rows = y, as a heatmap draws them), {@code count[j][i]} how
 * many finite values it averages. An empty cell (no run, or every value NaN) is NaN with count 0.
 * The mean of a 0/1 column is the share of runs with 1 (e.g. the share of stable runs).
 *
 * @param xs    the sorted distinct values of the x column
 * @param ys    the sorted distinct values of the y column
 * @param mean  per cell, {@code [y][x]}
 * @param count per cell, the number of finite values averaged
 */
public record GridMeans(double[] xs, double[] ys, double[][] mean, int[][] count) {

    /** The grid of {@code metric}'s means over the distinct values of the numeric columns {@code x} and {@code y}. */
    public static GridMeans of(Table t, String x, String y, String metric) {
        double[] xv = numbers(t, x), yv = numbers(t, y), mv = numbers(t, metric);
        double[] xs = Arrays.stream(xv).distinct().sorted().toArray(), ys = Arrays.stream(yv).distinct().sorted().toArray();
        double[][] sum = new double[ys.length][xs.length];
        int[][] count = new int[ys.length][xs.length];
        for (int r = 0; r < mv.length; r++) {
            if (!Double.isFinite(mv[r])) continue;
            int i = Arrays.binarySearch(xs, xv[r]), j = Arrays.binarySearch(ys, yv[r]);
            sum[j][i] += mv[r];
            count[j][i]++;
        }
        for (int j = 0; j < ys.length; j++)
            for (int i = 0; i < xs.length; i++) sum[j][i] = count[j][i] == 0 ? Double.NaN : sum[j][i] / count[j][i];
        return new GridMeans(xs, ys, sum, count);
    }

    /** The mean at {@code (x, y)}; NaN if the cell is empty or not in the grid. */
    public double at(double x, double y) {
        int i = Arrays.binarySearch(xs, x), j = Arrays.binarySearch(ys, y);
        return i < 0 || j < 0 ? Double.NaN : mean[j][i];
    }

    /** The x values as axis labels ({@link Numbers#compact}: 2.5e-5, 1e-4, …). */
    public List<String> xLabels() {
        return Arrays.stream(xs).mapToObj(Numbers::compact).toList();
    }

    /** The y values as axis labels. */
    public List<String> yLabels() {
        return Arrays.stream(ys).mapToObj(Numbers::compact).toList();
    }

    /** The grid as text, highest y first (as a heatmap shows it), one cell as {@code %5.2f}, "  n/a" if empty. */
    public String format(String xName, String yName) {
        StringBuilder sb = new StringBuilder(String.format("%-10s", yName + " \\ " + xName));
        for (double x : xs) sb.append(String.format("%8s", Numbers.compact(x)));
        for (int j = ys.length - 1; j >= 0; j--) {
            sb.append('\n').append(String.format("%-10s", Numbers.compact(ys[j])));
            for (int i = 0; i < xs.length; i++) sb.append(Double.isNaN(mean[j][i]) ? "     n/a" : String.format(java.util.Locale.ROOT, "%8.2f", mean[j][i]));
        }
        return sb.toString();
    }

    /** A column as doubles, whatever type the CSV reader gave it (numbers as text are parsed; unparsable text is NaN). */
    static double[] numbers(Table t, String column) {
        if (t.column(column) instanceof NumericColumn<?> n) return n.asDoubleArray();
        double[] v = new double[t.rowCount()];
        for (int i = 0; i < v.length; i++) {
            try {
                v[i] = Double.parseDouble(t.getString(i, column));
            } catch (NumberFormatException e) {
                v[i] = Double.NaN;
            }
        }
        return v;
    }
}
