package memlab.pmnet;

import memlab.notebook.Outcome;
import memlab.stats.Difference;
import memlab.stats.Finding;
import memlab.stats.Numbers;
import memlab.stats.Spread;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The claims of the PMNet paper (Phasor Memory Networks, 2026), each tested on our runs over seeds
 * and returned as a {@link Finding}. Thresholds are arguments, so notebook 03 states them. A statistic
 * without a finite value (every run diverged) gives {@link Outcome#UNTESTABLE}, never a guess.
 */
public final class PhasorClaims {
    private PhasorClaims() {}

    /**
     * {@code pm-copy}: PMNet retrieves the span exactly at gaps far beyond the sliding window, where the
     * window alone fails. Three parts, on the runs' exact retrieval (fraction of sequences, 0–1):
     * PMNet's mean at the far gap is at least {@code level} ("≈100%"); it is higher than the
     * window-only transformer's there by more than {@code tolerance}; the window-only transformer's
     * retrieval falls from the near gap (inside its reach) to the far one by more than {@code tolerance}.
     * The LSTM's numbers are reported beside, not judged (the paper's figure has no claim about it).
     */
    public static Finding copy(double[] pmnetFar, double[] windowNear, double[] windowFar, double[] lstmFar, int farGap, double level, double tolerance) {
        Spread pm = Spread.of(pmnetFar);
        Finding reaches = pm.isEmpty() ? Finding.untestable("PMNet has no finite retrieval at gap " + farGap)
                : Finding.of(pm.mean() >= level, "PMNet's exact retrieval at gap " + farGap + " " + pm + (pm.mean() >= level ? " reaches " : " is below ")
                + Numbers.percent(level));
        Difference beats = Difference.of(pmnetFar, windowFar, tolerance);
        Difference drops = Difference.of(windowNear, windowFar, tolerance);
        Spread lstm = Spread.of(lstmFar);
        Finding judged = Finding.combine(reaches,
                new Finding(beats.against(Difference.Direction.HIGHER), beats.describe("exact retrieval at gap " + farGap, "PMNet", "sliding window")),
                new Finding(drops.against(Difference.Direction.HIGHER), drops.describe("sliding window's exact retrieval", "inside its reach", "at gap " + farGap)));
        // the LSTM is reported beside the test, not judged: it does not change the outcome
        return new Finding(judged.outcome(), judged.text() + "; LSTM at gap " + farGap + ": " + (lstm.isEmpty() ? "no finite value" : lstm.toString()));
    }

    /**
     * {@code pm-gradnorm}: the gradient norm through the phasor state stays constant with BPTT depth,
     * through the unconstrained state it vanishes or explodes. Inputs are the runs'
     * {@link StateGradients.Profile#log10Ratio} (far over near depths); "constant" means
     * {@code |mean| ≤ log10(factor)}, i.e. within a factor {@code factor} (> 1) either way.
     *
     * @param label which models, e.g. "untrained"
     */
    public static Finding gradNorm(String label, double[] phasorLog10, double[] unconstrainedLog10, double factor) {
        if (!(factor > 1) || Double.isInfinite(factor)) throw new IllegalArgumentException("factor must be finite and > 1, got " + factor);
        double bound = Math.log10(factor);
        Spread p = Spread.of(phasorLog10), u = Spread.of(unconstrainedLog10);
        Finding constant = p.isEmpty() ? Finding.untestable(label + ": the phasor state has no finite gradient ratio")
                : Finding.of(Math.abs(p.mean()) <= bound, label + ", phasor: log10(deep/shallow gradient norm) " + p
                + (Math.abs(p.mean()) <= bound ? " is within ±" : " is outside ±") + Numbers.compact(bound));
        Finding unstable = u.isEmpty() ? Finding.untestable(label + ": the unconstrained state has no finite gradient ratio")
                : Finding.of(Math.abs(u.mean()) > bound, label + ", unconstrained: log10(deep/shallow gradient norm) " + u
                + (Math.abs(u.mean()) > bound ? (u.mean() < 0 ? " vanishes beyond −" : " explodes beyond +") : " stays within ±") + Numbers.compact(bound));
        return Finding.combine(constant, unstable);
    }

    /**
     * {@code pm-ablation}: each switch hurts retrieval at a gap past the window: its exact retrieval is
     * lower than the full model's by more than {@code tolerance}, one part per switch (in the map's order).
     */
    public static Finding ablation(double[] full, Map<String, double[]> switched, int gap, double tolerance) {
        if (switched.isEmpty()) throw new IllegalArgumentException("switched must name at least one ablation");
        List<Finding> parts = new ArrayList<>();
        for (var e : switched.entrySet()) {
            Difference d = Difference.of(e.getValue(), full, tolerance);
            parts.add(new Finding(d.against(Difference.Direction.LOWER), d.describe("exact retrieval at gap " + gap, e.getKey(), "full PMNet")));
        }
        return Finding.combine(parts);
    }

    /**
     * {@code pm-longctx} (the shape of the paper's robustness claim): beyond the training length PMNet's
     * per-byte loss does not rise above its loss within the training length by more than
     * {@code tolerance}, and is not higher than the window-only transformer's beyond it by more than
     * {@code tolerance} (bits per byte, means over positions then runs).
     */
    public static Finding longContext(double[] pmnetWithin, double[] pmnetBeyond, double[] windowBeyond, double tolerance) {
        Difference rise = Difference.of(pmnetBeyond, pmnetWithin, tolerance);
        Difference versus = Difference.of(pmnetBeyond, windowBeyond, tolerance);
        return Finding.combine(notHigher(rise, "PMNet's loss (bits/byte)", "beyond the training length", "within it"),
                notHigher(versus, "loss beyond the training length (bits/byte)", "PMNet", "sliding window"));
    }

    /** Reproduced when {@code a} is lower than or within tolerance of {@code b}. */
    private static Finding notHigher(Difference d, String quantity, String a, String b) {
        if (d.direction() == Difference.Direction.UNTESTABLE) return Finding.untestable(d.describe(quantity, a, b));
        return Finding.of(d.direction() != Difference.Direction.HIGHER, d.describe(quantity, a, b));
    }
}
