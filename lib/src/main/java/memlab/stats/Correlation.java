package memlab.stats;

/** Pearson and Spearman correlation, for "does X rise when Y falls" verdicts. */
public final class Correlation {
    private Correlation() {}

    /**
     * {@code r = Σ (x−x̄)(y−ȳ) / sqrt(Σ (x−x̄)² Σ (y−ȳ)²)} over the indices where both are finite;
     * NaN when fewer than 3 such pairs or a constant series.
     */
    public static double pearson(double[] x, double[] y) {
        if (x.length != y.length) throw new IllegalArgumentException("x has " + x.length + " values, y " + y.length);
        int n = 0;
        double sx = 0, sy = 0;
        for (int i = 0; i < x.length; i++) if (Double.isFinite(x[i]) && Double.isFinite(y[i])) { n++; sx += x[i]; sy += y[i]; }
        if (n < 3) return Double.NaN;
        double mx = sx / n, my = sy / n, cxy = 0, cxx = 0, cyy = 0;
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) continue;
            cxy += (x[i] - mx) * (y[i] - my);
            cxx += (x[i] - mx) * (x[i] - mx);
            cyy += (y[i] - my) * (y[i] - my);
        }
        return cxx == 0 || cyy == 0 ? Double.NaN : cxy / Math.sqrt(cxx * cyy);
    }

    /**
     * Spearman's rank correlation: Pearson's {@code r} of the average ranks of {@code x} and {@code y}
     * (ties share the mean of the ranks they span, so a tie carries no order), over the indices where
     * both are finite. NaN — undefined, not "no correlation" — when fewer than 3 such pairs remain or
     * either series is constant there (e.g. every run stable, or every run exploded).
     */
    public static double spearman(double[] x, double[] y) {
        if (x.length != y.length) throw new IllegalArgumentException("x has " + x.length + " values, y " + y.length);
        int n = 0;
        for (int i = 0; i < x.length; i++) if (Double.isFinite(x[i]) && Double.isFinite(y[i])) n++;
        double[] fx = new double[n], fy = new double[n];
        for (int i = 0, j = 0; i < x.length; i++)
            if (Double.isFinite(x[i]) && Double.isFinite(y[i])) { fx[j] = x[i]; fy[j++] = y[i]; }
        return pearson(averageRanks(fx), averageRanks(fy));
    }

    /**
     * Ranks 0..n−1 of {@code v} in ascending order, ties given the average of the ranks they span:
     * {@code rank(v_i) = #{v_j < v_i} + (#{v_j = v_i} − 1) / 2}. Non-finite values are ranked as NaN.
     */
    public static double[] averageRanks(double[] v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) { r[i] = Double.NaN; continue; }
            double below = 0, same = 0;
            for (double w : v) {
                if (!Double.isFinite(w)) continue;
                if (w < v[i]) below++;
                else if (w == v[i]) same++;
            }
            r[i] = below + (same - 1) / 2;
        }
        return r;
    }

    /**
     * The rate at which a curve falls, smoothed: {@code d[e] = (c[e−k] − c[e+k]) / 2k}, NaN within
     * {@code k} of either end.
     */
    public static double[] descentRate(double[] curve, int k) {
        if (k <= 0) throw new IllegalArgumentException("k must be > 0, got " + k);
        double[] d = new double[curve.length];
        for (int e = 0; e < curve.length; e++)
            d[e] = e - k < 0 || e + k >= curve.length ? Double.NaN : (curve[e - k] - curve[e + k]) / (2.0 * k);
        return d;
    }
}
