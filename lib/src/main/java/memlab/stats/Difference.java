package memlab.stats;

import memlab.notebook.Outcome;

/**
 * A two-group comparison with a tolerance: is group {@code a} lower than {@code b}, higher, or
 * within {@code tolerance} of it — or can this not be said? Decided on the difference of the means
 * of the finite values, {@code Δ = mean(a) − mean(b)}:
 * <ul>
 *   <li>{@link Direction#UNTESTABLE} when either group has no finite value (empty, all NaN/Inf: e.g. every run diverged);</li>
 *   <li>{@link Direction#WITHIN_TOLERANCE} when {@code |Δ| ≤ tolerance} ("no effect within tolerance");</li>
 *   <li>{@link Direction#LOWER} when {@code Δ < −tolerance}, {@link Direction#HIGHER} when {@code Δ > tolerance}.</li>
 * </ul>
 * Whether every run of one group beats every run of the other is reported beside it ({@link #separated()}).
 *
 * @param a         spread of group a (finite values; {@code n} counts them)
 * @param b         spread of group b
 * @param tolerance the largest |Δ| that counts as no effect (≥ 0, in the units of the values)
 * @param direction the decision
 */
public record Difference(Spread a, Spread b, double tolerance, Direction direction) {

    /** How group a compares with group b. */
    public enum Direction {
        LOWER("lower"), HIGHER("higher"), WITHIN_TOLERANCE("within tolerance"), UNTESTABLE("untestable");

        private final String words;

        Direction(String words) {
            this.words = words;
        }

        /** E.g. "within tolerance". */
        public String words() {
            return words;
        }
    }

    /** Compares the finite values of {@code a} with those of {@code b}; {@code tolerance} must be finite and ≥ 0. */
    public static Difference of(double[] a, double[] b, double tolerance) {
        if (!(tolerance >= 0) || Double.isInfinite(tolerance))
            throw new IllegalArgumentException("tolerance must be finite and >= 0, got " + tolerance);
        Spread sa = Spread.of(a), sb = Spread.of(b);
        Direction d;
        if (sa.isEmpty() || sb.isEmpty()) d = Direction.UNTESTABLE;
        else {
            double delta = sa.mean() - sb.mean();
            d = Math.abs(delta) <= tolerance ? Direction.WITHIN_TOLERANCE : delta < 0 ? Direction.LOWER : Direction.HIGHER;
        }
        return new Difference(sa, sb, tolerance, d);
    }

    /** {@code mean(a) − mean(b)}; NaN when untestable. */
    public double delta() {
        return direction == Direction.UNTESTABLE ? Double.NaN : a.mean() - b.mean();
    }

    /** True when every finite value of one group lies beyond every finite value of the other. */
    public boolean separated() {
        return a.separatedFrom(b);
    }

    /**
     * The outcome of a claim that a is {@code claimed} relative to b: {@link Outcome#UNTESTABLE} if this
     * comparison is, {@link Outcome#REPRODUCED} if the direction is the claimed one, else
     * {@link Outcome#NOT_REPRODUCED}.
     */
    public Outcome against(Direction claimed) {
        if (claimed == Direction.UNTESTABLE) throw new IllegalArgumentException("a claim cannot be 'untestable'");
        if (direction == Direction.UNTESTABLE) return Outcome.UNTESTABLE;
        return direction == claimed ? Outcome.REPRODUCED : Outcome.NOT_REPRODUCED;
    }

    /**
     * The comparison in words, naming only groups that have values, e.g.
     * "final loss: link on is lower than link off by 0.12 (0.35 ± 0.01 sample sd (n=3, …) vs …; tolerance 0.05; every run separated)".
     */
    public String describe(String quantity, String nameA, String nameB) {
        if (direction == Direction.UNTESTABLE) {
            String which = a.isEmpty() && b.isEmpty() ? nameA + " and " + nameB + " have" : (a.isEmpty() ? nameA : nameB) + " has";
            return quantity + ": untestable, " + which + " no finite value (every run diverged or none ran)";
        }
        String how = direction == Direction.WITHIN_TOLERANCE
                ? nameA + " and " + nameB + " are within the tolerance " + Numbers.compact(tolerance) + " of each other (difference "
                  + Numbers.compact(delta()) + ")"
                : nameA + " is " + direction.words() + " than " + nameB + " by " + Numbers.compact(Math.abs(delta()))
                  + " (tolerance " + Numbers.compact(tolerance) + (separated() ? "; every run separated" : "; the runs' ranges overlap") + ")";
        return quantity + ": " + how + "; " + nameA + " " + a + ", " + nameB + " " + b;
    }
}
