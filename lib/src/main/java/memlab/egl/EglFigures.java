package memlab.egl;

import memlab.egl.CopyExperiment.Attention;
import memlab.egl.CopyExperiment.Result;
import memlab.plot.Figure;
import memlab.plot.Heatmap;
import memlab.plot.LineChart;
import memlab.plot.PhaseGrid;
import memlab.plot.Plot;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The figures of the Explicit Gradient Linking paper, drawn from our runs, so that notebook 01's cells
 * stay a few lines. Each takes the trained results keyed by optimiser setting (the panel titles) and
 * returns a {@link Figure} with its data attached; the notebook saves and shows it.
 */
public final class EglFigures {
    /** The paper's colour scale for attention starts here: weights below it are drawn as it. */
    public static final float ATTENTION_FLOOR = 1e-5f;

    private EglFigures() {}

    /** {@code egl-loss}: loss per epoch, link on vs off, mean and min–max over seeds, one panel per setting. */
    public static Figure loss(Map<String, Result> bySetting) {
        Table all = withSetting(bySetting, Result::curves);
        List<Plot> panels = new ArrayList<>();
        for (String setting : bySetting.keySet())
            panels.add(LineChart.of(rowsOf(all, setting), "epoch", "loss").series("link")
                    .meanOver("seed", LineChart.Band.MIN_MAX).title(setting).plot());
        return Figure.of("egl-loss", panels.toArray(new Plot[0]))
                .title("Copy task: loss with vs without the gradient link (mean and min–max over seeds)").data(all);
    }

    /** {@code egl-gradnorm}: for the linked runs, loss and linked read-gradient norm per epoch, a row per setting. */
    public static Figure gradNorm(Map<String, Result> bySetting) {
        Table all = withSetting(bySetting, r -> {
            Table c = r.curves();
            return c.where(c.stringColumn("link").isEqualTo("on"));
        });
        List<Plot> panels = new ArrayList<>();
        for (String setting : bySetting.keySet()) {
            Table t = rowsOf(all, setting);
            panels.add(LineChart.of(t, "epoch", "loss").meanOver("seed", LineChart.Band.MIN_MAX).title(setting + ": loss").plot());
            panels.add(LineChart.of(t, "epoch", CopyExperiment.LINK_GRAD_NORM).meanOver("seed", LineChart.Band.MIN_MAX)
                    .title(setting + ": linked read-gradient norm").plot());
        }
        return Figure.grid("egl-gradnorm", 2, panels)
                .title("Linked read-gradient norm beside the loss (link on; mean and min–max over seeds)").data(all);
    }

    /**
     * {@code egl-attention}: write and read attention of the first sequence of run pair {@code withLink}
     * / {@code withoutLink} at each kept epoch, time step × slot, log colour from {@link #ATTENTION_FLOOR}.
     */
    public static Figure attention(Result r, int withLink, int withoutLink, String setting) {
        List<Plot> maps = new ArrayList<>();
        List<Integer> epochs = r.attention().stream().map(Attention::epoch).distinct().sorted().toList();
        for (int epoch : epochs)
            for (int run : new int[]{withLink, withoutLink})
                for (Attention a : r.attention()) {
                    if (a.epoch() != epoch || a.run() != run) continue;
                    String tag = "epoch " + (epoch + 1) + ", link " + (r.runs().get(run).link() ? "on" : "off");
                    maps.add(map(a.write(), "write, " + tag));
                    maps.add(map(a.read(), "read, " + tag));
                }
        return Figure.grid("egl-attention", 4, maps)
                .title("Attention of one sequence (" + setting + ", seed " + r.runs().get(withLink).seed() + "; log colour 1e-5..max)");
    }

    /** {@code egl-linkstop}: runs whose link stops at an epoch, beside the always-on and never-on runs. */
    public static Figure linkStop(Map<String, Result> trained, Map<String, Result> stopped, int stopEpoch) {
        Table all = withSetting(trained, Result::curves).append(withSetting(stopped, Result::curves));
        List<Plot> panels = new ArrayList<>();
        for (String setting : trained.keySet())
            panels.add(LineChart.of(rowsOf(all, setting), "epoch", "loss").series("link")
                    .meanOver("seed", LineChart.Band.MIN_MAX).title(setting).plot());
        return Figure.of("egl-linkstop", panels.toArray(new Plot[0]))
                .title("Link switched off at epoch " + stopEpoch + " (mean and min–max over seeds)").data(all);
    }

    /** {@code egl-stability}: stable or diverged per learning rate × clipping, one panel per link setting. */
    public static Figure stability(Table sweep, int epochs, int seeds) {
        return Figure.grid("egl-stability", 2, PhaseGrid.of(sweep, "lr", "clip", "outcome").facet("link").plots())
                .title("AdamW, " + epochs + " epochs: stable or diverged (majority of " + seeds + " seeds)").data(sweep);
    }

    /** {@code egl-stability-loss}: final loss per learning rate, a line per clipping × link, diverged runs left out. */
    public static Figure stabilityLoss(Table sweep) {
        Table t = sweep.copy();
        t.addColumns(StringColumn.create("setting", t.stream()
                .map(row -> "clip " + row.getString("clip") + ", link " + row.getString("link")).toList()));
        return Figure.of("egl-stability-loss", LineChart.of(t, "lr", "final_loss").series("setting")
                .meanOver("seed", LineChart.Band.MIN_MAX).logY()
                .title("Final loss vs learning rate (diverged runs left out of the mean)").plot());
    }

    private static Plot map(float[][] w, String title) {
        float[][] floored = new float[w.length][];
        for (int i = 0; i < w.length; i++) {
            floored[i] = w[i].clone();
            for (int j = 0; j < floored[i].length; j++) floored[i][j] = Math.max(floored[i][j], ATTENTION_FLOOR);
        }
        return Heatmap.of(floored).logColor().rowsTopDown().xTitle("slot").yTitle("time step").title(title).plot();
    }

    private static Table withSetting(Map<String, Result> bySetting, java.util.function.Function<Result, Table> rows) {
        Table all = null;
        for (var e : bySetting.entrySet()) {
            Table c = rows.apply(e.getValue());
            c.addColumns(StringColumn.create("setting", Collections.nCopies(c.rowCount(), e.getKey())));
            all = all == null ? c : all.append(c);
        }
        if (all == null) throw new IllegalArgumentException("no settings to draw");
        return all;
    }

    private static Table rowsOf(Table all, String setting) {
        return all.where(all.stringColumn("setting").isEqualTo(setting));
    }
}
