package memlab.egl;

import memlab.core.Check;
import memlab.egl.CopyExperiment.Attention;
import memlab.egl.CopyExperiment.Result;
import memlab.egl.CopyExperiment.Run;
import memlab.memory.AttentionStats;
import memlab.notebook.Outcome;
import memlab.stats.Correlation;
import memlab.stats.Difference;
import memlab.stats.Finding;
import memlab.stats.Numbers;
import memlab.stats.Spread;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Explicit Gradient Linking paper's claims, each tested on our runs and returned as a
 * {@link Finding} (outcome and the numbers that decide it). Notebook 01 turns each into its figure's
 * verdict; the thresholds are arguments, so the notebook states them.
 */
public final class Claims {
    /** The take-off level: a copy model that outputs zeros scores an MSE of about 1, so below 0.9 it has started to copy. */
    public static final double TAKE_OFF_LEVEL = 0.9;

    private Claims() {}

    /**
     * The take-off epoch of one loss curve: the first epoch at which the trailing mean of the loss over
     * {@code window} epochs is below {@code level} ("leaves its plateau"); a run that never does, or
     * diverges first, is censored at the number of epochs it ran (a lower bound: it took off later, if ever).
     */
    public static int takeOffEpoch(double[] loss, double level, int window) {
        Check.positive("window", window);
        for (int e = window - 1; e < loss.length; e++) {
            double sum = 0;
            int n = 0;
            for (int i = e - window + 1; i <= e; i++) if (Double.isFinite(loss[i])) { sum += loss[i]; n++; }
            if (n == window && sum / n < level) return e;   // computed afresh: no drift of a running sum at the level
        }
        return loss.length;
    }

    /**
     * {@code egl-loss}: with the link the loss leaves its plateau earlier, and ends lower.
     * Two parts: take-off epochs (link on vs off, {@link #takeOffEpoch}) differ by more than
     * {@code epochTolerance} epochs, and the final loss (mean of the last {@code lastEpochs}) by more
     * than {@code lossTolerance}; each part within its tolerance is "no effect", which does not
     * reproduce the claim.
     */
    public static Finding loss(Result r, int lastEpochs, int window, double epochTolerance, double lossTolerance) {
        String on = groupWith(r, true), off = groupWith(r, false);
        Difference takeOff = Difference.of(takeOffs(r, on, window), takeOffs(r, off, window), epochTolerance);
        Difference fin = Difference.of(r.finalLosses(on, lastEpochs), r.finalLosses(off, lastEpochs), lossTolerance);
        int epochs = r.series(0, "loss").length;
        String censored = String.format(Locale.ROOT, " (never below it within %d epochs: %d of %d linked runs, %d of %d unlinked)", epochs,
                count(takeOffs(r, on, window), epochs), takeOff.a().n(), count(takeOffs(r, off, window), epochs), takeOff.b().n());
        return Finding.combine(
                new Finding(takeOff.against(Difference.Direction.LOWER),
                        takeOff.describe("take-off epoch (loss below " + Numbers.compact(TAKE_OFF_LEVEL) + ")", "link on", "link off") + censored),
                new Finding(fin.against(Difference.Direction.LOWER),
                        fin.describe("final loss", "link on", "link off")));
    }

    /**
     * {@code egl-gradnorm}: the linked-gradient norm is high where the loss falls fastest. Per linked
     * run, Pearson's r between the norm and the loss's descent rate (smoothed over {@code smooth}
     * epochs each side). Reproduced when every run's r exceeds {@code minR}; not reproduced when their
     * mean is ≤ 0; partly otherwise; untestable when no run gives a finite r.
     */
    public static Finding gradNorm(Result r, int smooth, double minR) {
        List<Double> rs = new ArrayList<>();
        for (int run = 0; run < r.runs().size(); run++) {
            if (!r.runs().get(run).link()) continue;
            double[] loss = r.series(run, "loss"), link = r.series(run, CopyExperiment.LINK_GRAD_NORM);
            rs.add(Correlation.pearson(link, Correlation.descentRate(loss, smooth)));
        }
        Spread s = Spread.of(rs);
        if (s.isEmpty()) return Finding.untestable("no linked run gives a finite correlation (constant or too short curves)");
        String text = "correlation of the linked-gradient norm with the loss's descent rate, per linked run: " + s
                + "; threshold r > " + Numbers.compact(minR);
        Outcome o = s.min() > minR ? Outcome.REPRODUCED : s.mean() <= 0 ? Outcome.NOT_REPRODUCED : Outcome.PARTLY;
        return new Finding(o, text);
    }

    /**
     * {@code egl-attention}, at one epoch: with the link the writes are sharper (mean largest write
     * weight higher by more than {@code tolerance}) and the reads follow the writes (the read of step t
     * focuses on the slot the write of step t focused on) more often than chance, pooled over the
     * linked runs' steps and judged by a one-sided binomial test at level {@code alpha}.
     */
    public static Finding attention(Result r, int epoch, double tolerance, double alpha) {
        List<Double> sharpOn = new ArrayList<>(), sharpOff = new ArrayList<>();
        int hits = 0, steps = 0, slots = 0;
        for (Attention a : r.attention()) {
            if (a.epoch() != epoch) continue;
            boolean link = r.runs().get(a.run()).link();
            (link ? sharpOn : sharpOff).add(AttentionStats.meanMax(a.write()));
            if (link) {
                hits += Math.round(AttentionStats.readFollowsWrite(a.write(), a.read()) * a.write().length);
                steps += a.write().length;
                slots = a.write()[0].length;
            }
        }
        Difference sharp = Difference.of(sharpOn.stream().mapToDouble(Double::doubleValue).toArray(),
                sharpOff.stream().mapToDouble(Double::doubleValue).toArray(), tolerance);
        Finding sharper = new Finding(sharp.against(Difference.Direction.HIGHER),
                sharp.describe("mean largest write weight", "link on", "link off"));
        Finding follows;
        if (steps == 0) follows = Finding.untestable("no linked run's attention was kept at epoch " + epoch);
        else {
            double chance = 1.0 / slots, p = binomialUpperTail(hits, steps, chance);
            follows = Finding.of(p < alpha, String.format(Locale.ROOT,
                    "reads follow writes in %d of %d linked steps (%s; chance %s, expected %s; one-sided binomial p = %s, level %s)",
                    hits, steps, Numbers.percent((double) hits / steps), Numbers.percent(chance),
                    Numbers.compact(steps * chance), Numbers.compact(p), Numbers.compact(alpha)));
        }
        return Finding.combine(sharper, follows);
    }

    /**
     * {@code egl-linkstop} (no claim in the paper's text): how the loss moves after the link is
     * switched off at {@code stopEpoch}, next to runs that kept it; reported, not judged.
     */
    public static Finding linkStop(Result stopped, Result kept, int stopEpoch, int lastEpochs) {
        int window = Math.min(lastEpochs, stopEpoch);
        String gStop = stopped.groups().get(0), gOn = groupWith(kept, true);
        Spread before = stopped.lossAt(gStop, stopEpoch - 1, window), after = stopped.finalLoss(gStop, lastEpochs);
        Spread onBefore = kept.lossAt(gOn, stopEpoch - 1, window), onAfter = kept.finalLoss(gOn, lastEpochs);
        double dStop = after.mean() - before.mean(), dOn = onAfter.mean() - onBefore.mean();
        return new Finding(Outcome.REPORTED, String.format(Locale.ROOT,
                "link switched off at epoch %d: loss %s → %s (change %s); link kept on: %s → %s (change %s)",
                stopEpoch, Numbers.compact(before.mean()), Numbers.compact(after.mean()), signed(dStop),
                Numbers.compact(onBefore.mean()), Numbers.compact(onAfter.mean()), signed(dOn)));
    }

    /**
     * {@code egl-stability}: at learning rates ≥ {@code highLr} the linked model can explode without
     * clipping, and clipping prevents it. Part one holds when some linked, unclipped run at a high
     * learning rate diverged; part two (testable only then) when fewer linked runs diverged with
     * clipping than without. Rows: one per run, columns {@code lr}, {@code clip}, {@code link},
     * {@code outcome} ({@link CopyExperiment#withOutcome}).
     */
    public static Finding stability(Table sweep, double highLr) {
        int[] noClip = diverged(sweep, highLr, "on", false), clip = diverged(sweep, highLr, "on", true),
                plain = diverged(sweep, highLr, "off", false);
        String counts = String.format(Locale.ROOT, "lr ≥ %s diverged: linked without clipping %d of %d, linked with clipping %d of %d, "
                + "unlinked without clipping %d of %d", Numbers.compact(highLr), noClip[0], noClip[1], clip[0], clip[1], plain[0], plain[1]);
        if (noClip[1] == 0) return Finding.untestable("no linked run without clipping at lr ≥ " + Numbers.compact(highLr) + " in the sweep");
        Finding explodes = Finding.of(noClip[0] > 0, counts);
        Finding clipHelps = noClip[0] == 0
                ? Finding.untestable("clipping cannot be shown to help when nothing exploded without it")
                : Finding.of(clip[0] < noClip[0], "clipping " + (clip[0] < noClip[0] ? "prevents" : "does not prevent") + " explosions");
        return Finding.combine(explodes, clipHelps);
    }

    /**
     * One finding from a finding per optimiser setting: {@link Finding#combine} of the parts, each text
     * prefixed by its setting, so a figure's verdict says which setting holds the claim.
     */
    public static Finding perSetting(java.util.Map<String, Finding> bySetting) {
        List<Finding> parts = List.copyOf(bySetting.values());
        // only reports (no claim to test) stay a report; otherwise the parts' outcomes combine
        Outcome o = parts.stream().allMatch(p -> p.outcome() == Outcome.REPORTED) ? Outcome.REPORTED : Finding.combine(parts).outcome();
        StringBuilder text = new StringBuilder();
        bySetting.forEach((setting, f) -> text.append(text.isEmpty() ? "" : " | ").append(setting).append(" [")
                .append(f.outcome().label()).append("]: ").append(f.text()));
        return new Finding(o, text.toString());
    }

    /**
     * The attention summaries behind {@code egl-attention}, one row per run at {@code epoch}: setting,
     * link, seed, mean largest write weight, normalised write entropy, mean largest read weight and
     * the share of steps whose read follows the write ({@link AttentionStats}).
     */
    public static Table attentionTable(java.util.Map<String, Result> bySetting, int epoch) {
        Table t = Table.create("egl-attention-stats", StringColumn.create("setting"), StringColumn.create("link"),
                LongColumn.create("seed"), DoubleColumn.create("write_mean_max"), DoubleColumn.create("write_entropy"),
                DoubleColumn.create("read_mean_max"), DoubleColumn.create("read_follows_write"));
        for (var e : bySetting.entrySet())
            for (Attention a : e.getValue().attention()) {
                if (a.epoch() != epoch) continue;
                Run run = e.getValue().runs().get(a.run());
                t.stringColumn("setting").append(e.getKey());
                t.stringColumn("link").append(run.link() ? "on" : "off");
                t.longColumn("seed").append(run.seed());
                t.doubleColumn("write_mean_max").append(AttentionStats.meanMax(a.write()));
                t.doubleColumn("write_entropy").append(AttentionStats.normalisedEntropy(a.write()));
                t.doubleColumn("read_mean_max").append(AttentionStats.meanMax(a.read()));
                t.doubleColumn("read_follows_write").append(AttentionStats.readFollowsWrite(a.write(), a.read()));
            }
        return t;
    }

    /**
     * The stability sweep counted per learning rate × clipping × link: diverged runs, runs, mean final
     * loss of the runs that did not diverge, largest gradient norm seen.
     */
    public static Table stabilityCounts(Table sweep) {
        Table t = Table.create("egl-stability-summary", DoubleColumn.create("lr"), StringColumn.create("clip"),
                StringColumn.create("link"), IntColumn.create("diverged"), IntColumn.create("runs"),
                DoubleColumn.create("final_loss_mean"), DoubleColumn.create("max_grad_norm"));
        for (double lr : sweep.doubleColumn("lr").unique().asDoubleArray())
            for (String clip : sweep.column("clip").unique().asList().stream().map(String::valueOf).sorted().toList())
                for (String link : new String[]{"on", "off"}) {
                    Table s = sweep.where(sweep.doubleColumn("lr").isEqualTo(lr)
                            .and(sweep.column("clip").asStringColumn().isEqualTo(clip)).and(sweep.column("link").asStringColumn().isEqualTo(link)));
                    if (s.rowCount() == 0) continue;
                    t.doubleColumn("lr").append(lr);
                    t.stringColumn("clip").append(clip);
                    t.stringColumn("link").append(link);
                    t.intColumn("diverged").append((int) s.stringColumn("outcome").isEqualTo("diverged").size());
                    t.intColumn("runs").append(s.rowCount());
                    t.doubleColumn("final_loss_mean").append(Spread.of(s.doubleColumn("final_loss").asDoubleArray()).mean());
                    t.doubleColumn("max_grad_norm").append(s.doubleColumn("max_grad_norm").max());
                }
        return t.sortOn("lr", "clip", "link");
    }

    /**
     * P(X ≥ k) for X ~ Binomial(n, p): the chance of at least {@code k} hits if every hit were luck.
     * Summed in log space so that n in the thousands does not underflow.
     */
    public static double binomialUpperTail(int k, int n, double p) {
        if (n < 0 || k < 0) throw new IllegalArgumentException("k and n must be >= 0, got k=" + k + ", n=" + n);
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("p must be in [0, 1], got " + p);
        if (k == 0) return 1;
        if (k > n) return 0;
        if (p == 0) return 0;
        if (p == 1) return 1;
        double sum = 0, logP = Math.log(p), logQ = Math.log1p(-p);
        for (int i = k; i <= n; i++) sum += Math.exp(logChoose(n, i) + i * logP + (n - i) * logQ);
        return Math.min(1, sum);
    }

    private static double logChoose(int n, int k) {
        double s = 0;
        for (int i = 1; i <= k; i++) s += Math.log(n - k + i) - Math.log(i);
        return s;
    }

    private static int[] diverged(Table sweep, double highLr, String link, boolean clipped) {
        int d = 0, n = 0;
        for (int i = 0; i < sweep.rowCount(); i++) {
            if (sweep.doubleColumn("lr").get(i) < highLr * (1 - 1e-9)) continue;
            if (!link.equals(sweep.column("link").getString(i))) continue;
            if (clipped == "off".equals(sweep.column("clip").getString(i))) continue;
            String outcome = sweep.stringColumn("outcome").get(i);
            if ("error".equals(outcome)) continue;
            n++;
            if ("diverged".equals(outcome)) d++;
        }
        return new int[]{d, n};
    }

    private static String groupWith(Result r, boolean link) {
        for (Run run : r.runs()) if (run.link() == link && run.linkStopEpoch() < 0) return run.label();
        throw new IllegalArgumentException("no run with the link " + (link ? "on" : "off") + " in this result; groups are " + r.groups());
    }

    private static double[] takeOffs(Result r, String group, int window) {
        List<Double> out = new ArrayList<>();
        for (int run = 0; run < r.runs().size(); run++)
            if (r.runs().get(run).label().equals(group)) out.add((double) takeOffEpoch(r.series(run, "loss"), TAKE_OFF_LEVEL, window));
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static int count(double[] xs, double value) {
        int n = 0;
        for (double x : xs) if (x == value) n++;
        return n;
    }

    private static String signed(double x) {
        return (x >= 0 ? "+" : "−") + Numbers.compact(Math.abs(x));
    }
}
