package memlab.primer;

import memlab.attention.Attention;
import memlab.attention.ReversalExperiment;
import memlab.dnc.Snapshot;
import memlab.memn2n.StoryExperiment;
import memlab.plot.Figure;
import memlab.plot.Heatmap;
import memlab.plot.Labels;
import memlab.plot.LineChart;
import memlab.plot.Plot;
import memlab.stats.Curves;
import memlab.train.RunRecorder;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The figures of notebook 05 ({@code pr-attention}, {@code pr-hard}, {@code pr-ntm}, {@code pr-dnc},
 * {@code pr-memn2n}), drawn from our runs so the notebook's cells stay a few lines. Each returns a
 * {@link Figure} with its data attached; the notebook saves and shows it.
 */
public final class PrimerFigures {
    static {
        Labels.share("accuracy", "held-out symbol accuracy");
        Labels.put("length", "sequence length (symbols)");
        Labels.put("loss", "training loss (nats per symbol)");
        Labels.put("step", "training step");
        Labels.put("hops", "hops (memory reads per question)");
        Labels.put("cost", "cost (bits per sequence)");
    }

    private PrimerFigures() {}

    /** Registers the axis titles (every figure does; public so a notebook can call it first). */
    public static void labels() {}

    /**
     * {@code pr-attention}: the alignment {@code α} of one trained soft-attention run on one held-out sequence
     * (output step × source position: reversal puts the weight on the anti-diagonal), and held-out accuracy
     * against length with and without attention (mean over seeds, band min–max).
     *
     * @param example a soft-attention result whose alignment is shown (usually the longest length)
     */
    public static Figure attention(List<ReversalExperiment.Result> sweep, ReversalExperiment.Result example) {
        if (example.alignment() == null) throw new IllegalArgumentException("example must be a run with attention, got " + example.setup().attention());
        Table acc = ReversalExperiment.accuracyTable(sweep);
        List<String> src = IntStream.of(example.source()).mapToObj(i -> "x" + (i + 1) + "=" + i).toList();
        int len = example.source().length;
        List<String> out = IntStream.range(0, len).mapToObj(t -> "y" + (t + 1)).toList();
        Plot heat = Heatmap.of(example.alignment()).xLabels(IntStream.range(0, len).mapToObj(j -> (j + 1) + ":" + example.source()[j]).toList())
                .yLabels(out).rowsTopDown().range(0, 1).xTitle("source position : symbol").yTitle("output step")
                .colorTitle("attention weight α").title("alignment of one held-out sequence (length " + len + ")").plot();
        Plot line = LineChart.of(acc, "length", "accuracy").series("attention").meanOver("seed", LineChart.Band.MIN_MAX).yRange(0, 1)
                .title("held-out accuracy against length").plot();
        return Figure.grid("pr-attention", 2, List.of(heat, line)).size(1200, 480)
                .title("Sequence reversal: where soft attention looks, and what it buys as sequences grow").data(acc);
    }

    /**
     * {@code pr-hard}: the training loss of soft and hard attention over training, trailing mean over
     * {@code smooth} steps, mean over seeds with the min–max band of the seeds.
     */
    public static Figure hard(List<ReversalExperiment.Result> runs, int smooth) {
        Table loss = Curves.smoothed(ReversalExperiment.lossTable(runs), smooth, Math.max(1, smooth / 4), List.of("attention", "seed"), "loss");
        return Figure.of("pr-hard", LineChart.of(loss, "step", "loss").series("attention").meanOver("seed", LineChart.Band.MIN_MAX)
                        .title("training loss (trailing mean over " + smooth + " steps), mean and min–max over seeds").plot())
                .size(1000, 450).title("Soft vs hard attention on sequence reversal").data(loss);
    }

    /**
     * {@code pr-ntm}: write and read weightings over the steps of one unseen copy sequence (slot × time) of the
     * first run with content + location addressing and with content only, and the training cost of both
     * (trailing mean over {@code smooth} steps, mean and min–max over seeds).
     */
    public static Figure ntm(NtmCopyWeightings.Result full, NtmCopyWeightings.Result content, int smooth) {
        List<Plot> panels = new ArrayList<>();
        for (Object[] c : new Object[][]{{full, "content + location"}, {content, "content only"}})
            for (boolean write : new boolean[]{true, false}) {
                NtmCopyWeightings.Result r = (NtmCopyWeightings.Result) c[0];
                panels.add(Heatmap.of(r.weights(0, write)).range(0, 1).xTitle("time step (inputs, delimiter, outputs)").yTitle("memory slot")
                        .colorTitle("weight").title(c[1] + ": " + (write ? "write" : "read") + " weighting").plot());
            }
        Table cost = costTable(List.of(full.recorder(), content.recorder()), List.of("content + location", "content only"), smooth);
        panels.add(LineChart.of(cost, "step", "cost").series("addressing").meanOver("run", LineChart.Band.MIN_MAX).logY()
                .yTitle("cost (bits per sequence, log)").title("training cost").plot());
        return Figure.grid("pr-ntm", 3, panels).size(1300, 880)
                .title("NTM copy: head weightings (length " + full.length() + ", first seed) and training cost").data(cost);
    }

    /** The {@code loss} of the recorders as a table: addressing (the name), run, step, cost; smoothed. */
    static Table costTable(List<RunRecorder> recorders, List<String> names, int smooth) {
        List<Table> parts = new ArrayList<>();
        for (int i = 0; i < recorders.size(); i++) {
            Table t = recorders.get(i).table();
            Table p = Table.create("cost", StringColumn.create("addressing", java.util.Collections.nCopies(t.rowCount(), names.get(i))),
                    t.intColumn("run").copy(), t.intColumn("step").copy(),
                    t.doubleColumn(RunRecorder.LOSS).copy().setName("cost"));
            parts.add(p);
        }
        Table all = parts.get(0);
        for (int i = 1; i < parts.size(); i++) all = all.append(parts.get(i));
        return Curves.smoothed(all, smooth, Math.max(1, smooth / 4), List.of("addressing", "run"), "cost");
    }

    /**
     * {@code pr-dnc}: for each task's trained DNC (first run, sequence 0 of its probe batch), the usage of each
     * slot over time and the link matrix after the last step.
     */
    public static Figure dnc(List<Snapshot> snapshots, List<String> tasks) {
        List<Plot> panels = new ArrayList<>();
        for (int i = 0; i < snapshots.size(); i++) {
            Snapshot s = snapshots.get(i);
            panels.add(Heatmap.of(s.usage(0)).range(0, 1).xTitle("time step").yTitle("memory slot").colorTitle("usage u")
                    .title(tasks.get(i) + ": usage over time (" + s.stepsOf()[0] + " steps, the rest padding)").plot());
            panels.add(Heatmap.of(s.links(0)).range(0, 1).rowsTopDown().xTitle("slot written before (j)").yTitle("slot written after (i)")
                    .colorTitle("link L[i][j]").title(tasks.get(i) + ": link matrix after the sequence").plot());
        }
        return Figure.grid("pr-dnc", 2, panels).size(1200, 420 * snapshots.size())
                .title("DNC: usage-based allocation and the temporal link matrix (first seed)").data(usageTable(snapshots, tasks));
    }

    /** The usage of every slot and step of each snapshot's first run: task, step, slot, usage. */
    static Table usageTable(List<Snapshot> snapshots, List<String> tasks) {
        Table t = Table.create("dnc-usage", StringColumn.create("task"), tech.tablesaw.api.IntColumn.create("step"),
                tech.tablesaw.api.IntColumn.create("slot"), tech.tablesaw.api.DoubleColumn.create("usage"));
        for (int i = 0; i < snapshots.size(); i++) {
            float[][] u = snapshots.get(i).usage(0);
            for (int step = 0; step < u[0].length; step++)
                for (int slot = 0; slot < u.length; slot++) {
                    t.stringColumn("task").append(tasks.get(i));
                    t.intColumn("step").append(step);
                    t.intColumn("slot").append(slot);
                    t.doubleColumn("usage").append(u[slot][step]);
                }
        }
        return t;
    }

    /**
     * {@code pr-memn2n}: held-out accuracy against the number of hops per task (mean over seeds, band min–max),
     * and the attention of each hop over the sentences of one held-out story of {@code example}.
     */
    public static Figure memn2n(List<StoryExperiment.Result> sweep, StoryExperiment.Result example) {
        Table acc = StoryExperiment.accuracyTable(sweep);
        Plot line = LineChart.of(acc, "hops", "accuracy").series("task").meanOver("seed", LineChart.Band.MIN_MAX).yRange(0, 1).logX(false)
                .yTitle("held-out answer accuracy").title("held-out accuracy against hops").plot();
        var story = example.example();
        List<String> sentences = new ArrayList<>();
        for (int i = 0; i < story.sentences().size(); i++)
            sentences.add((i + 1) + ". " + String.join(" ", story.sentences().get(i)) + (story.supporting().contains(i) ? " ★" : ""));
        float[][] att = example.attention();
        float[][] bySentence = new float[att[0].length][att.length];
        for (int k = 0; k < att.length; k++) for (int j = 0; j < att[0].length; j++) bySentence[j][k] = att[k][j];
        Plot heat = Heatmap.of(bySentence).range(0, 1).rowsTopDown().yLabels(sentences)
                .xLabels(IntStream.rangeClosed(1, att.length).mapToObj(k -> "hop " + k).toList()).xTitle("hop").yTitle("")
                .colorTitle("attention p").title(String.join(" ", story.question()) + " → " + story.answer() + " (★ supporting)").plot();
        return Figure.grid("pr-memn2n", 1, List.of(line, heat)).size(1000, 900)
                .title("End-to-end memory network: hops and what each hop reads").data(acc);
    }

    /** The attention kinds of a sweep in the order of the primer: none, soft, hard. */
    public static List<Attention> order() { return List.of(Attention.NONE, Attention.SOFT, Attention.HARD); }
}
