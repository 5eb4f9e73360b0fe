package memlab.ntm;

import memlab.diagnostics.AttentionSummary;
import memlab.diagnostics.Diagnostics;
import memlab.diagnostics.GroupGradients;
import memlab.diagnostics.Trace;
import memlab.notebook.Outcome;
import memlab.stats.Difference;
import memlab.stats.Finding;
import memlab.stats.Numbers;
import memlab.stats.Spread;
import memlab.train.RunRecorder;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The essay's claims about memory bypass ("Why neural networks learn to ignore their own memory"),
 * each tested on our NTM runs over seeds and returned as a {@link Finding}. Thresholds are arguments,
 * so notebook 04 states them. A statistic that cannot be computed (every run diverged, nothing
 * converged) gives {@link Outcome#UNTESTABLE} with the reason, never a guess.
 */
public final class DilutionClaims {
    /** The memory path's parameter groups of the {@link Ntm} (column slices of the head projection). */
    public static final List<String> MEMORY_PATH = List.of("key", "strength", "gate", "shift", "sharpening", "erase", "add");

    private DilutionClaims() {}

    /**
     * Per run, the mean over the measurements (e.g. {@link Trace#reports()}) of the squared-norm share of {@code groups} together
     * ({@link GroupGradients#share}); runs without a finite gradient give NaN.
     */
    public static double[] meanShare(List<Diagnostics.Report> reports, List<String> groups) {
        if (reports.isEmpty()) throw new IllegalArgumentException("the trace holds no measurement");
        int runs = reports.get(0).loss().length;
        double[] out = new double[runs];
        for (int r = 0; r < runs; r++) {
            double sum = 0;
            int n = 0;
            for (Diagnostics.Report rep : reports) {
                double s = 0;
                for (String g : groups) s += rep.gradients().share(r, g);
                if (Double.isFinite(s)) { sum += s; n++; }
            }
            out[r] = n == 0 ? Double.NaN : sum / n;
        }
        return out;
    }

    /**
     * {@code dil-gradflow}: the memory path gets a diluted gradient. Over the strong model's runs, the
     * gradient share of the whole memory path ({@link #MEMORY_PATH}) is lower than the controller's by
     * more than {@code tolerance} (shares averaged over the measurements {@code reps}, in step order). The saturation of the read and write
     * weightings at the first and the last measurement is reported beside it.
     */
    public static Finding gradFlow(List<Diagnostics.Report> reps, double tolerance) {
        Difference d = Difference.of(meanShare(reps, MEMORY_PATH), meanShare(reps, List.of("controller")), tolerance);
        Finding diluted = new Finding(d.against(Difference.Direction.LOWER),
                d.describe("gradient share (mean over training)", "memory path (key, β, g, shift, γ, erase, add)", "controller"));
        StringBuilder sat = new StringBuilder("saturation (weights < 1e-3 or > 1 − 1e-3), first → last measurement:");
        for (String kind : reps.get(0).attention().keySet())
            sat.append(' ').append(kind).append(' ').append(Numbers.percent(Spread.of(reps.get(0).attention().get(kind).saturation()).mean()))
                    .append(" → ").append(Numbers.percent(Spread.of(reps.get(reps.size() - 1).attention().get(kind).saturation()).mean())).append(';');
        // the saturation is reported beside the test, not judged: it does not change the outcome
        return new Finding(diluted.outcome(), diluted.text() + "; " + sat.substring(0, sat.length() - 1));
    }

    /**
     * {@code dil-decorative}: with a bypass the memory becomes decorative, hamstringing forces its use.
     * Part one: the hamstrung runs' final ablation Δloss exceeds the strong runs' by more than
     * {@code tolerance}; part two: the strong runs' mean Δloss is below {@code decorativeLevel}
     * (bits per sequence: zeroing the reads costs less than that).
     */
    public static Finding decorative(Diagnostics.Report strong, Diagnostics.Report hamstrung, double tolerance, double decorativeLevel) {
        Difference d = Difference.of(hamstrung.deltaLoss(), strong.deltaLoss(), tolerance);
        Finding forced = new Finding(d.against(Difference.Direction.HIGHER),
                d.describe("final Δloss when reads are zeroed (bits per sequence)", "hamstrung", "strong with bypass"));
        Spread s = Spread.of(strong.deltaLoss());
        Finding deco = s.isEmpty() ? Finding.untestable("the strong runs have no finite Δloss")
                : Finding.of(s.mean() < decorativeLevel, "strong controller's Δloss " + s + (s.mean() < decorativeLevel ? " is below " : " is not below ")
                + Numbers.compact(decorativeLevel) + " bit per sequence (decorative level)");
        return Finding.combine(forced, deco);
    }

    /**
     * {@code dil-usage}: decorative memory shows high attention entropy over few slots. Part one: the
     * strong runs' read entropy exceeds the hamstrung runs' by more than {@code entropyTolerance};
     * part two: their reads spread over fewer effective slots (exp of the entropy of slot usage) by more
     * than {@code slotTolerance}. Both at the last measurement.
     */
    public static Finding usage(Diagnostics.Report strong, Diagnostics.Report hamstrung, double entropyTolerance, double slotTolerance) {
        AttentionSummary s = strong.attention().get("read"), h = hamstrung.attention().get("read");
        if (s == null || h == null) return Finding.untestable("no read attention was measured");
        Difference e = Difference.of(s.entropy(), h.entropy(), entropyTolerance);
        Difference k = Difference.of(s.effectiveSlots(), h.effectiveSlots(), slotTolerance);
        return Finding.combine(
                new Finding(e.against(Difference.Direction.HIGHER), e.describe("read entropy (1 = uniform)", "strong with bypass", "hamstrung")),
                new Finding(k.against(Difference.Direction.LOWER), k.describe("effective slots read", "strong with bypass", "hamstrung")));
    }

    /**
     * {@code dil-ntm-recipe}: constant memory initialisation converges about twice as fast, and without
     * curriculum or clipping training often fails (Collier and Beel 2018). Three parts:
     * <ol>
     *   <li>steps to converge, constant vs random and learned runs pooled over the other switches, lower by
     *       more than {@code stepTolerance}; a run that never converged counts as the step count (censored: a lower bound);</li>
     *   <li>runs with both clipping and curriculum fail (do not converge) less often than runs without one of them;</li>
     *   <li>runs without clipping turn NaN/Inf more often than runs with it.</li>
     * </ol>
     * Untestable when no run converged (parts 1–2: the regime was never reached) or none diverged (part 3).
     */
    public static Finding recipe(RecipeGrid.Result r, double stepTolerance) {
        Table runs = r.runTable();
        int steps = r.setup().training().steps();
        List<Double> constant = new ArrayList<>(), other = new ArrayList<>();
        int anyConverged = 0, fullFail = 0, full = 0, partFail = 0, part = 0, nanNoClip = 0, noClip = 0, nanClip = 0, clip = 0;
        for (int i = 0; i < runs.rowCount(); i++) {
            boolean conv = "true".equals(runs.stringColumn("converged").get(i)), div = "true".equals(runs.stringColumn("diverged").get(i));
            double s = conv ? runs.doubleColumn("steps_to_converge").getDouble(i) : steps;
            (runs.stringColumn("init").get(i).equals(MemoryInit.CONSTANT.label()) ? constant : other).add(s);
            if (conv) anyConverged++;
            boolean clipped = runs.stringColumn("clipping").get(i).equals("on"), curr = runs.stringColumn("curriculum").get(i).equals("on");
            if (clipped && curr) { full++; if (!conv) fullFail++; } else { part++; if (!conv) partFail++; }
            if (clipped) { clip++; if (div) nanClip++; } else { noClip++; if (div) nanNoClip++; }
        }
        String never = "no run reached a cost below " + Numbers.compact(r.setup().level()) + " bit per sequence within " + steps + " steps";
        Finding faster, recipe;
        if (anyConverged == 0) {
            faster = Finding.untestable("steps to converge: " + never);
            recipe = Finding.untestable("failure rates: " + never);
        } else {
            Difference d = Difference.of(toArray(constant), toArray(other), stepTolerance);
            faster = new Finding(d.against(Difference.Direction.LOWER), d.describe("steps to converge (never converged = " + steps + ", censored)",
                    "constant init", "random and learned init"));
            double fs = (double) fullFail / full, ps = (double) partFail / part;
            recipe = Finding.of(fs < ps, String.format(Locale.ROOT, "runs that did not converge: with clipping and curriculum %d of %d (%s), without one or both %d of %d (%s)",
                    fullFail, full, Numbers.percent(fs), partFail, part, Numbers.percent(ps)));
        }
        String nanText = String.format(Locale.ROOT, "NaN/Inf runs: without clipping %d of %d, with clipping %d of %d", nanNoClip, noClip, nanClip, clip);
        Finding nan = nanNoClip + nanClip == 0 ? Finding.untestable(nanText + " (no run diverged, so clipping cannot be shown to prevent it)")
                : Finding.of((double) nanNoClip / noClip > (double) nanClip / clip, nanText);
        return Finding.combine(faster, recipe, nan);
    }

    /**
     * {@code dil-aux}: the auxiliary reconstruction loss forces memory to store retrievable information.
     * Part one: the final ablation Δloss (copy cost) is higher with it than without by more than
     * {@code deltaTolerance}; part two: the copy task's wrong bits per sequence over the last
     * {@code lastSteps} steps are lower with it by more than {@code errorTolerance}.
     */
    public static Finding aux(AuxExperiment.Result r, int lastSteps, double deltaTolerance, double errorTolerance) {
        double[] delta = r.trained().trace().last().deltaLoss();
        RunRecorder rec = r.trained().recorder();
        List<Double> dWith = new ArrayList<>(), dWithout = new ArrayList<>(), eWith = new ArrayList<>(), eWithout = new ArrayList<>();
        for (int i = 0; i < r.runs().size(); i++) {
            boolean with = r.condition(i).equals(AuxExperiment.WITH);
            (with ? dWith : dWithout).add(delta[i]);
            (with ? eWith : eWithout).add(rec.diverged(i) ? Double.NaN : rec.tailMean(i, NtmCopyTraining.BIT_ERRORS, lastSteps));
        }
        return aux(toArray(dWith), toArray(dWithout), toArray(eWith), toArray(eWithout), lastSteps, deltaTolerance, errorTolerance);
    }

    /** {@link #aux(AuxExperiment.Result, int, double, double)} on the per-run numbers: Δloss and wrong bits of the runs with and without. */
    public static Finding aux(double[] deltaWith, double[] deltaWithout, double[] errorsWith, double[] errorsWithout, int lastSteps,
                              double deltaTolerance, double errorTolerance) {
        Difference d = Difference.of(deltaWith, deltaWithout, deltaTolerance);
        Difference e = Difference.of(errorsWith, errorsWithout, errorTolerance);
        return Finding.combine(
                new Finding(d.against(Difference.Direction.HIGHER), d.describe("final Δloss when reads are zeroed (bits per sequence)", "with", "without")),
                new Finding(e.against(Difference.Direction.LOWER), e.describe("wrong bits per sequence (last " + lastSteps + " steps)", "with", "without")));
    }

    private static double[] toArray(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
