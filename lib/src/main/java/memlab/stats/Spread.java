package memlab.stats;

import java.util.Arrays;

/**
 * Spread of one quantity over seeds: count, mean, <b>sample</b> standard deviation, min and max. Used by
 * the "paper vs. ours" verdicts, which must say whether a difference exceeds the seed spread.
 *
 * <p>{@code std} is the sample standard deviation {@code s = sqrt(Σ (x_i − x̄)² / (n − 1))} (Bessel's
 * correction), not the population one (divisor {@code n}); it is undefined (NaN) for a single value.
 * Captions and verdicts that quote it say "sample sd".
 */
public record Spread(int n, double mean, double std, double min, double max) {

    /** Spread of the finite values of {@code xs} (NaN/Inf — diverged runs — are left out; n says how many remain). */
    public static Spread of(double... xs) {
        double[] v = finite(xs);
        if (v.length == 0) return new Spread(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        double mean = Arrays.stream(v).average().orElseThrow();
        double ss = Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum();
        double std = v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : Double.NaN;
        return new Spread(v.length, mean, std, Arrays.stream(v).min().orElseThrow(), Arrays.stream(v).max().orElseThrow());
    }

    /** Spread of the finite values of a list. */
    public static Spread of(java.util.Collection<? extends Number> xs) {
        return of(xs.stream().mapToDouble(Number::doubleValue).toArray());
    }

    /** The median of the finite values of {@code xs} (mean of the middle two for an even count); NaN if there are none. */
    public static double median(double... xs) {
        double[] v = finite(xs);
        if (v.length == 0) return Double.NaN;
        Arrays.sort(v);
        int h = v.length / 2;
        return v.length % 2 == 1 ? v[h] : (v[h - 1] + v[h]) / 2;
    }

    /** True when there is at least one finite value. */
    public boolean isEmpty() {
        return n == 0;
    }

    /** True when the two ranges [min, max] do not overlap: every seed of one beats every seed of the other. */
    public boolean separatedFrom(Spread other) {
        return n > 0 && other.n > 0 && (max < other.min || other.max < min);
    }

    /** E.g. {@code 0.352 ± 0.012 sample sd (n=3, range 0.34–0.365)}; numbers as {@link Numbers#compact}. */
    @Override
    public String toString() {
        if (n == 0) return "n/a (no finite values)";
        if (n == 1) return Numbers.compact(mean) + " (n=1, no sample sd)";
        return Numbers.compact(mean) + " ± " + Numbers.compact(std) + " sample sd (n=" + n + ", range "
                + Numbers.compact(min) + "–" + Numbers.compact(max) + ")";
    }

    static double[] finite(double[] xs) {
        return Arrays.stream(xs).filter(Double::isFinite).toArray();
    }
}
