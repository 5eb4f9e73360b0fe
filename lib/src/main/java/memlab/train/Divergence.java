package memlab.train;

/**
 * When a run counts as diverged: a non-finite loss (NaN, ±Inf) or a loss above a bound.
 *
 * <p>A diverged run is data, not an error: recorders mark it and sweeps go on.
 */
public record Divergence(double lossBound) {
    /** Only NaN/Inf count as divergence. */
    public static final Divergence NON_FINITE = new Divergence(Double.POSITIVE_INFINITY);

    public Divergence {
        if (!(lossBound > 0)) throw new IllegalArgumentException("lossBound must be > 0 (or +Infinity for 'only NaN/Inf'), got " + lossBound);
    }

    /** Whether {@code loss} means the run diverged. */
    public boolean test(double loss) {
        return !Double.isFinite(loss) || loss > lossBound;
    }
}
