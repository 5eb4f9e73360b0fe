package memlab.stats;

import java.util.Arrays;
import java.util.Locale;

/**
 * Spread of one quantity over seeds: count, mean, sample standard deviation, min and max. Used by
 * the "paper vs. ours" verdicts, which must say whether a difference exceeds the seed spread.
 */
public record Spread(int n, double mean, double std, double min, double max) {

    /** Spread of the finite values of {@code xs} (NaN/Inf — diverged runs — are left out; n says how many remain). */
    public static Spread of(double... xs) {
        double[] v = Arrays.stream(xs).filter(Double::isFinite).toArray();
        if (v.length == 0) return new Spread(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        double mean = Arrays.stream(v).average().orElseThrow();
        double ss = Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum();
        double std = v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : 0;
        return new Spread(v.length, mean, std, Arrays.stream(v).min().orElseThrow(), Arrays.stream(v).max().orElseThrow());
    }

    /** True when the two ranges [min, max] do not overlap: every seed of one beats every seed of the other. */
    public boolean separatedFrom(Spread other) {
        return n > 0 && other.n > 0 && (max < other.min || other.max < min);
    }

    /** E.g. {@code 0.352 ± 0.012 (n=3, range 0.340–0.365)}. */
    @Override
    public String toString() {
        if (n == 0) return "n/a (no finite values)";
        return String.format(Locale.ROOT, "%.3f ± %.3f (n=%d, range %.3f–%.3f)", mean, std, n, min, max);
    }
}
