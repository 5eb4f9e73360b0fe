package memlab.mixers;

import memlab.notebook.Outcome;
import memlab.stats.Difference;
import memlab.stats.Finding;
import memlab.stats.Numbers;
import memlab.stats.Spread;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The {@code dil-mqar} verdict computed from a {@link RecallExperiment} run: the essay's claims
 * (after Zoology) that recall accuracy grows with the recurrent state, that the delta rule recalls
 * better than linear attention at the same state, and that the sliding window falls from the
 * reference's accuracy to half of it as its state shrinks.
 *
 * <p>Every claim presupposes that the task can be learnt at this scale: if full attention (the
 * reference, whose state holds the whole context) stays below {@link #LEARNT} accuracy, every part is
 * {@link Outcome#UNTESTABLE}.
 */
public final class RecallFindings {
    /** The reference counts as having learnt the task at this held-out accuracy. */
    public static final double LEARNT = 0.9;
    /** Accuracy differences up to this count as no difference (a few answers in a hundred). */
    public static final double TOLERANCE = 0.05;

    private RecallFindings() {}

    /** Full attention's mean accuracy (the reference); NaN if the run has no full-attention point. */
    public static double reference(List<RecallExperiment.Result> results) {
        return results.stream().filter(r -> r.point().mixer().kind() == MixerSpec.Kind.ATTENTION)
                .mapToDouble(RecallExperiment.Result::meanAccuracy).average().orElse(Double.NaN);
    }

    /** Why nothing can be judged (the reference did not learn, or is missing), or null when the run can be judged. */
    static String notJudgeable(List<RecallExperiment.Result> results) {
        if (results.stream().noneMatch(r -> r.point().mixer().kind() == MixerSpec.Kind.ATTENTION)) return "no full-attention reference in this run";
        double ref = reference(results);
        if (Double.isNaN(ref)) return "full attention, the reference, has no finite accuracy (every seed diverged)";
        if (ref < LEARNT)
            return "full attention, the reference, reached only " + Numbers.percent(ref) + " held-out accuracy (below "
                    + Numbers.percent(LEARNT) + "): the task was not learnt at these settings, so state size cannot explain the other mixers' accuracy";
        return null;
    }

    /** The points of one family, smallest state first. */
    static List<RecallExperiment.Result> family(List<RecallExperiment.Result> results, String family) {
        List<RecallExperiment.Result> f = new ArrayList<>(results.stream().filter(r -> r.point().family().equals(family)).toList());
        f.sort(Comparator.comparingLong(RecallExperiment.Result::stateSize));
        return f;
    }

    /**
     * Accuracy grows with state in {@code family}: its largest-state point is more accurate than its
     * smallest by more than {@link #TOLERANCE}. The text lists every point's accuracy.
     */
    public static Finding growsWithState(List<RecallExperiment.Result> results, String family) {
        String why = notJudgeable(results);
        if (why != null) return Finding.untestable(family + ": " + why);
        List<RecallExperiment.Result> f = family(results, family);
        if (f.size() < 2) return Finding.untestable(family + ": needs at least two state sizes, has " + f.size());
        RecallExperiment.Result small = f.get(0), large = f.get(f.size() - 1);
        Difference d = Difference.of(large.accuracy(), small.accuracy(), TOLERANCE);
        StringBuilder points = new StringBuilder();
        for (RecallExperiment.Result r : f)
            points.append(points.isEmpty() ? "" : ", ").append(Numbers.percent(r.meanAccuracy())).append(" at ").append(Numbers.compact(r.stateSize()));
        Outcome o = d.against(Difference.Direction.HIGHER);
        return new Finding(o, family + ": accuracy " + points + " numbers of state ("
                + (o == Outcome.REPRODUCED ? "grows" : "does not grow") + " by more than " + Numbers.percent(TOLERANCE) + ")");
    }

    /**
     * The delta rule beats linear attention at equal state: at every width both were trained at
     * (equal state up to linear attention's normaliser, {@code H·d} numbers), DeltaNet's accuracy
     * minus linear attention's, averaged over the widths per seed, is above {@link #TOLERANCE}.
     */
    public static Finding deltaBeatsLinear(List<RecallExperiment.Result> results) {
        String why = notJudgeable(results);
        if (why != null) return Finding.untestable("delta rule vs linear attention: " + why);
        List<RecallExperiment.Result> delta = family(results, "deltanet"), linear = family(results, "linear attention");
        List<double[]> a = new ArrayList<>(), b = new ArrayList<>();
        StringBuilder at = new StringBuilder();
        for (RecallExperiment.Result d : delta)
            for (RecallExperiment.Result l : linear)
                if (d.point().width() == l.point().width() && d.point().mixer().heads() == l.point().mixer().heads()) {
                    a.add(d.accuracy());
                    b.add(l.accuracy());
                    at.append(at.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "width %d: %s vs %s", d.point().width(),
                            Numbers.percent(d.meanAccuracy()), Numbers.percent(l.meanAccuracy())));
                }
        if (a.isEmpty()) return Finding.untestable("delta rule vs linear attention: no width with both");
        Difference diff = Difference.of(meanPerSeed(a), meanPerSeed(b), TOLERANCE);
        return new Finding(diff.against(Difference.Direction.HIGHER), "at equal state DeltaNet vs linear attention " + at
                + "; " + diff.describe("accuracy averaged over widths", "DeltaNet", "linear attention"));
    }

    /**
     * Where the sliding window falls to half of the reference's accuracy: the state (and window) at
     * which its accuracy crosses {@code reference / 2}, interpolated on log state between the two
     * windows around the crossing. Holds (the essay: "from ~100% to ~50% as its state shrinks") when
     * the largest window reaches at least {@link #LEARNT} of the reference's accuracy and the smallest
     * window is at or below half of it.
     */
    public static Finding windowHalf(List<RecallExperiment.Result> results) {
        String why = notJudgeable(results);
        if (why != null) return Finding.untestable("sliding window: " + why);
        List<RecallExperiment.Result> f = family(results, "sliding window");
        if (f.size() < 2) return Finding.untestable("sliding window: needs at least two windows, has " + f.size());
        double ref = reference(results), half = ref / 2;
        double[] state = new double[f.size()], acc = new double[f.size()];
        int[] window = new int[f.size()];
        for (int i = 0; i < f.size(); i++) {
            state[i] = f.get(i).stateSize();
            acc[i] = f.get(i).meanAccuracy();
            window[i] = f.get(i).point().mixer().window();
        }
        String points = pointsText(window, acc);
        double cross = halfCrossing(state, acc, half);
        boolean top = acc[acc.length - 1] >= LEARNT * ref, bottom = acc[0] <= half;
        String where = Double.isNaN(cross) ? "never crosses half of the reference (" + Numbers.percent(half) + ")"
                : "crosses half of the reference (" + Numbers.percent(half) + ") at a state of about " + Numbers.compact(Math.round(cross)) + " numbers";
        return Finding.of(top && bottom, "sliding window: accuracy " + points + "; it " + where
                + (top ? "" : "; its largest window stays below " + Numbers.percent(LEARNT) + " of the reference")
                + (bottom ? "" : "; its smallest window stays above half of the reference"));
    }

    /**
     * The first state (smallest up) where the accuracy climbs through {@code level}: log-linear
     * interpolation between the last point below and the next at or above it; NaN if the accuracies
     * never cross (all below, or the smallest already at or above).
     */
    public static double halfCrossing(double[] state, double[] accuracy, double level) {
        if (state.length != accuracy.length) throw new IllegalArgumentException("state and accuracy must have the same length");
        for (int i = 1; i < state.length; i++)
            if (accuracy[i - 1] < level && accuracy[i] >= level) {
                double f = (level - accuracy[i - 1]) / (accuracy[i] - accuracy[i - 1]);
                return Math.exp(Math.log(state[i - 1]) + f * (Math.log(state[i]) - Math.log(state[i - 1])));
            }
        return Double.NaN;
    }

    /** The whole verdict: every family's growth, the delta rule against linear attention, the window's half point. */
    public static Finding verdict(List<RecallExperiment.Result> results) {
        String why = notJudgeable(results);
        if (why != null) return Finding.untestable(why);
        List<Finding> parts = new ArrayList<>();
        for (String fam : List.of("sliding window", "linear attention", "deltanet", "gated deltanet"))
            if (!family(results, fam).isEmpty()) parts.add(growsWithState(results, fam));
        parts.add(deltaBeatsLinear(results));
        parts.add(windowHalf(results));
        return Finding.combine(parts);
    }

    private static String pointsText(int[] window, double[] acc) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < acc.length; i++)
            sb.append(sb.isEmpty() ? "" : ", ").append(Numbers.percent(acc[i])).append(" at window ").append(window[i]);
        return sb.toString();
    }

    /** Per seed (position), the mean over the lists. */
    private static double[] meanPerSeed(List<double[]> xs) {
        int n = xs.stream().mapToInt(x -> x.length).min().orElse(0);
        double[] m = new double[n];
        for (int i = 0; i < n; i++) {
            double[] col = new double[xs.size()];
            for (int j = 0; j < xs.size(); j++) col[j] = xs.get(j)[i];
            m[i] = Spread.of(col).mean();
        }
        return m;
    }
}
