package memlab.primer;

import memlab.attention.Attention;
import memlab.attention.ReversalExperiment;
import memlab.dnc.Snapshot;
import memlab.memn2n.StoryExperiment;
import memlab.notebook.Outcome;
import memlab.stats.Difference;
import memlab.stats.Finding;
import memlab.stats.Numbers;
import memlab.stats.Spread;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The attention-and-memory primer's claims, each tested on our runs over seeds and returned as a
 * {@link Finding}. Thresholds are arguments, so notebook 05 states them. A statistic that cannot be
 * computed (every value NaN, no run that learnt the task) gives {@link Outcome#UNTESTABLE} with the reason.
 * The methods take plain arrays so that their edges (NaN, ties, no difference) are tested without training.
 */
public final class PrimerClaims {
    private PrimerClaims() {}

    /**
     * {@code pr-attention}: a fixed-vector encoder–decoder loses accuracy as sequences grow, and attention keeps it.
     * Part one: without attention, accuracy at the longest length is lower than at the shortest by more than
     * {@code tolerance}; part two: at the longest length, attention is higher than no attention by more than {@code tolerance}.
     *
     * @param lengths source lengths, ascending, at least two
     * @param none    held-out accuracy without attention, {@code [length][seed]}
     * @param soft    held-out accuracy with soft attention, {@code [length][seed]}
     */
    public static Finding attentionLength(int[] lengths, double[][] none, double[][] soft, double tolerance) {
        if (lengths.length < 2) throw new IllegalArgumentException("lengths must hold at least two lengths, got " + Arrays.toString(lengths));
        if (none.length != lengths.length || soft.length != lengths.length)
            throw new IllegalArgumentException("need one accuracy row per length: " + lengths.length + " lengths, " + none.length + " and " + soft.length + " rows");
        int last = lengths.length - 1;
        Difference falls = Difference.of(none[last], none[0], tolerance);
        Difference keeps = Difference.of(soft[last], none[last], tolerance);
        return Finding.combine(
                new Finding(falls.against(Difference.Direction.LOWER), falls.describe("accuracy without attention",
                        "length " + lengths[last], "length " + lengths[0])),
                new Finding(keeps.against(Difference.Direction.HIGHER), keeps.describe("accuracy at length " + lengths[last],
                        "soft attention", "no attention")));
    }

    /**
     * {@link #attentionLength(int[], double[][], double[][], double)} of a {@link ReversalExperiment#sweep} over
     * {@link Attention#NONE} and {@link Attention#SOFT}: lengths ascending as swept.
     */
    public static Finding attentionLength(List<ReversalExperiment.Result> sweep, double tolerance) {
        int[] lengths = sweep.stream().filter(r -> r.setup().attention() == Attention.NONE).mapToInt(r -> r.setup().length()).sorted().toArray();
        double[][] none = new double[lengths.length][], soft = new double[lengths.length][];
        for (ReversalExperiment.Result r : sweep) {
            int i = Arrays.binarySearch(lengths, r.setup().length());
            if (i < 0) throw new IllegalArgumentException("length " + r.setup().length() + " of " + r.setup().attention() + " has no run without attention");
            if (r.setup().attention() == Attention.NONE) none[i] = toDouble(r.accuracy());
            else if (r.setup().attention() == Attention.SOFT) soft[i] = toDouble(r.accuracy());
        }
        for (int i = 0; i < lengths.length; i++)
            if (soft[i] == null) throw new IllegalArgumentException("length " + lengths[i] + " has no run with soft attention");
        return attentionLength(lengths, none, soft, tolerance);
    }

    /**
     * {@code pr-hard}: hard attention, trained by REINFORCE, learns less well and less reliably than soft attention.
     * Part one: the final training loss of soft attention is lower than hard's by more than {@code tolerance};
     * part two: the seed-to-seed spread (sample sd) of hard's final loss is larger than soft's (a tie is not larger;
     * fewer than two finite values per group is untestable).
     */
    public static Finding hardVsSoft(double[] softFinal, double[] hardFinal, double tolerance) {
        Difference d = Difference.of(softFinal, hardFinal, tolerance);
        Finding lower = new Finding(d.against(Difference.Direction.LOWER), d.describe("final training loss (nats per symbol)", "soft", "hard"));
        Spread s = Spread.of(softFinal), h = Spread.of(hardFinal);
        Finding spread = s.n() < 2 || h.n() < 2
                ? Finding.untestable("seed-to-seed spread: needs two finite final losses per group, soft has " + s.n() + ", hard " + h.n())
                : Finding.of(h.std() > s.std(), "seed-to-seed sd of the final loss: hard " + Numbers.compact(h.std()) + ", soft " + Numbers.compact(s.std()));
        return Finding.combine(lower, spread);
    }

    /**
     * {@code pr-ntm}: with location addressing the NTM copies by walking its heads along the memory (the
     * diagonal), and content addressing alone does worse. Part one, over the runs of the full model whose final
     * cost is below {@code learnt} bits per sequence: the mean {@link #diagonal} score is at least {@code level};
     * part two: the full model's final cost is lower than the content-only model's by more than {@code tolerance}
     * bits. Untestable as a whole when no run of the full model learnt the task (the regime the claim is about).
     *
     * @param full        the full model's probe weightings
     * @param fullCost    final training cost of each full run (bits per sequence)
     * @param contentCost final cost of each content-only run
     */
    public static Finding ntmCopy(NtmCopyWeightings.Result full, double[] fullCost, double[] contentCost, double learnt, double level,
                                  double tolerance) {
        List<Double> scores = new ArrayList<>();
        for (int r = 0; r < fullCost.length; r++)
            if (fullCost[r] < learnt) scores.add(diagonal(full.weights(r, true), full.weights(r, false), full.length()));
        if (scores.isEmpty())        // neither part means anything before the full model has learnt the task
            return Finding.untestable("no run of the full model learnt copy (final cost below " + Numbers.compact(learnt)
                    + " bits per sequence; content + location " + Spread.of(fullCost) + ", content only " + Spread.of(contentCost) + ")");
        Finding diag;
        {
            Spread s = Spread.of(scores);
            diag = s.isEmpty() ? Finding.untestable("diagonal: the score is not finite")
                    : Finding.of(s.mean() >= level, "diagonal score (share of steps where the write head moves one slot and the read head "
                    + "revisits the slot written for that output) " + s + " over the " + scores.size() + " runs that learnt copy; level " + Numbers.compact(level));
        }
        Difference d = Difference.of(fullCost, contentCost, tolerance);
        return Finding.combine(diag, new Finding(d.against(Difference.Direction.LOWER),
                d.describe("final cost (bits per sequence)", "content + location", "content only")));
    }

    /** {@link #hardVsSoft(double[], double[], double)} of the first soft and the first hard run of {@code runs}, final loss over the last {@code tail} steps. */
    public static Finding hardVsSoft(List<ReversalExperiment.Result> runs, int tail, double tolerance) {
        ReversalExperiment.Result soft = first(runs, Attention.SOFT), hard = first(runs, Attention.HARD);
        return hardVsSoft(soft.finalLoss(tail), hard.finalLoss(tail), tolerance);
    }

    private static ReversalExperiment.Result first(List<ReversalExperiment.Result> runs, Attention a) {
        return runs.stream().filter(r -> r.setup().attention() == a).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("runs must hold a run with " + a + " attention"));
    }

    /**
     * {@link #ntmCopy(NtmCopyWeightings.Result, double[], double[], double, double, double)} with each run's final cost the
     * mean training cost over the last {@code tail} steps.
     */
    public static Finding ntmCopy(NtmCopyWeightings.Result full, NtmCopyWeightings.Result content, int tail, double learnt, double level, double tolerance) {
        return ntmCopy(full, finalCost(full.recorder(), tail), finalCost(content.recorder(), tail), learnt, level, tolerance);
    }

    private static double[] finalCost(memlab.train.RunRecorder rec, int tail) {
        double[] out = new double[rec.runs()];
        for (int r = 0; r < out.length; r++) out[r] = rec.tailMean(r, memlab.train.RunRecorder.LOSS, tail);
        return out;
    }

    /**
     * How much a copy run's heads follow the diagonal, in {@code [0, 1]}: the mean of (a) the share of the
     * {@code L − 1} moves between input steps where the write head's focus (argmax) moves to a neighbouring
     * slot (±1, circularly) and (b) the share of the {@code L} output steps whose read focus is the slot written
     * at the matching input step. NaN when a weighting holds a NaN.
     *
     * @param write  {@code [slot][step]} over the {@code 2L + 1} steps of one sequence
     * @param read   same
     * @param length L
     */
    public static double diagonal(float[][] write, float[][] read, int length) {
        int slots = write.length;
        int[] w = new int[length];
        for (int t = 0; t < length; t++) {
            w[t] = focus(write, t);
            if (w[t] < 0) return Double.NaN;
        }
        double moves = 0;
        for (int t = 1; t < length; t++) {
            int step = Math.floorMod(w[t] - w[t - 1], slots);
            if (step == 1 || step == slots - 1) moves++;
        }
        double revisits = 0;
        for (int t = 0; t < length; t++) {
            int f = focus(read, length + 1 + t);
            if (f < 0) return Double.NaN;
            if (f == w[t]) revisits++;
        }
        double a = length > 1 ? moves / (length - 1) : 1;
        return (a + revisits / length) / 2;
    }

    /** The slot with the largest weight at {@code step}, −1 if a weight is NaN. */
    static int focus(float[][] w, int step) {
        int best = 0;
        for (int s = 0; s < w.length; s++) {
            if (Float.isNaN(w[s][step])) return -1;
            if (w[s][step] > w[best][step]) best = s;
        }
        return best;
    }

    /**
     * {@code pr-dnc}: the DNC's allocation writes each new vector to a free slot, and its link matrix records
     * the order of writing. Over the runs whose probe sequence was copied with fewer than {@code learnt} wrong
     * bits per sequence: part one, the share of the input steps that wrote a slot no earlier input step wrote
     * (write focus) is at least {@code level}; part two, the share of consecutive writes {@code a → b} for which
     * {@code b} is the most likely successor of {@code a} in the final link matrix ({@code argmax_i L[i][a] = b}) is
     * at least {@code level}. Untestable when no run learnt the task.
     *
     * @param write      per run, {@code [slot][step]} write weightings of its probe sequence
     * @param links      per run, the final link matrix {@code [i][j]} (i written after j)
     * @param lengths    per run, the number of input vectors L of its probe sequence
     * @param bitErrors  per run, wrong bits per sequence on the probe batch
     */
    public static Finding dncMemory(List<float[][]> write, List<float[][]> links, int[] lengths, double[] bitErrors, double learnt, double level) {
        List<Double> fresh = new ArrayList<>(), chain = new ArrayList<>();
        for (int r = 0; r < bitErrors.length; r++) {
            if (!(bitErrors[r] < learnt) || lengths[r] < 2) continue;
            int[] f = new int[lengths[r]];
            java.util.Set<Integer> seen = new java.util.HashSet<>();
            boolean nan = false;
            for (int t = 0; t < lengths[r]; t++) {
                f[t] = focus(write.get(r), t);
                nan |= f[t] < 0;
                seen.add(f[t]);
            }
            if (nan) continue;
            fresh.add(seen.size() / (double) lengths[r]);
            double ok = 0;
            for (int t = 1; t < lengths[r]; t++) {
                float[][] l = links.get(r);
                int best = 0;
                for (int i = 0; i < l.length; i++) if (l[i][f[t - 1]] > l[best][f[t - 1]]) best = i;
                if (best == f[t]) ok++;
            }
            chain.add(ok / (lengths[r] - 1));
        }
        if (fresh.isEmpty())
            return Finding.untestable("no run copied its probe sequence (with at least two vectors) with fewer than " + Numbers.compact(learnt)
                    + " wrong bits per sequence; wrong bits " + Spread.of(bitErrors));
        Spread a = Spread.of(fresh), b = Spread.of(chain);
        return Finding.combine(
                Finding.of(a.mean() >= level, "share of input steps written to a fresh slot " + a + " (level " + Numbers.compact(level) + ")"),
                Finding.of(b.mean() >= level, "share of consecutive writes the link matrix chains " + b + " (level " + Numbers.compact(level) + ")"));
    }

    /** {@link #dncMemory(List, List, int[], double[], double, double)} of the copy-task {@link Snapshot} (L = (steps − 1) / 2 per run). */
    public static Finding dncMemory(Snapshot s, double learnt, double level) {
        List<float[][]> write = new ArrayList<>(), links = new ArrayList<>();
        int[] lengths = new int[s.runs()];
        double[] errors = new double[s.runs()];
        for (int r = 0; r < s.runs(); r++) {
            write.add(s.writeWeights(r));
            links.add(s.links(r));
            lengths[r] = (s.stepsOf()[r] - 1) / 2;
            errors[r] = s.bitErrors()[r];
        }
        return dncMemory(write, links, lengths, errors, learnt, level);
    }

    /**
     * {@link #hops(int[], Map, List, double)} of a {@link StoryExperiment#sweep}: per task, the accuracy of each number of hops swept.
     */
    public static Finding hops(List<StoryExperiment.Result> sweep, List<String> chained, double tolerance) {
        int[] hops = sweep.stream().mapToInt(r -> r.setup().hops()).distinct().sorted().toArray();
        Map<String, double[][]> acc = new java.util.LinkedHashMap<>();
        for (StoryExperiment.Result r : sweep) {
            double[][] rows = acc.computeIfAbsent(r.setup().task().id(), k -> new double[hops.length][]);
            rows[Arrays.binarySearch(hops, r.setup().hops())] = toDouble(r.accuracy());
        }
        acc.forEach((task, rows) -> {
            for (int k = 0; k < hops.length; k++)
                if (rows[k] == null) throw new IllegalArgumentException("task " + task + " has no run with " + hops[k] + " hops");
        });
        return hops(hops, acc, chained, tolerance);
    }

    static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

    /**
     * {@code pr-memn2n}: several hops let a memory network chain facts. For each task of {@code chained} (tasks that
     * need two or more facts), the accuracy with the most hops is higher than with one hop by more than
     * {@code tolerance}; the other tasks are reported beside it.
     *
     * @param hops     the numbers of hops tried, ascending, starting at 1
     * @param accuracy per task, held-out accuracy {@code [hops index][seed]}
     * @param chained  the tasks the claim is about
     */
    public static Finding hops(int[] hops, Map<String, double[][]> accuracy, List<String> chained, double tolerance) {
        if (hops.length < 2 || hops[0] != 1)
            throw new IllegalArgumentException("hops must start at 1 and hold at least two values, got " + Arrays.toString(hops));
        List<Finding> parts = new ArrayList<>();
        StringBuilder others = new StringBuilder();
        int last = hops.length - 1;
        for (Map.Entry<String, double[][]> e : accuracy.entrySet()) {
            if (e.getValue().length != hops.length)
                throw new IllegalArgumentException("task " + e.getKey() + " needs one accuracy row per hop count (" + hops.length + "), has " + e.getValue().length);
            Difference d = Difference.of(e.getValue()[last], e.getValue()[0], tolerance);
            String text = d.describe(e.getKey() + ", accuracy", hops[last] + " hops", "1 hop");
            if (chained.contains(e.getKey())) parts.add(new Finding(d.against(Difference.Direction.HIGHER), text));
            else others.append("; beside it (one fact suffices): ").append(text);
        }
        if (parts.isEmpty()) return Finding.untestable("no task that needs chained facts was run" + others);
        Finding f = Finding.combine(parts);
        return new Finding(f.outcome(), f.text() + others);
    }
}
