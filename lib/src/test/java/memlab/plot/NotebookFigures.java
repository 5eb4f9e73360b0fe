package memlab.plot;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The notebooks' figures, built with the same calls as the notebooks make but from small synthetic
 * tables with the experiments' real column names: the tests check their axis titles and draw them.
 */
final class NotebookFigures {
    private NotebookFigures() {}

    /** Figure id → figure. */
    static Map<String, Figure> all() {
        Map<String, Figure> f = new LinkedHashMap<>();
        Random rnd = new Random(1);
        // egl-loss: link on / off, three seeds; the curves coincide until epoch 10 (the plateau)
        Table egl = Table.create("egl-curves", IntColumn.create("epoch"), StringColumn.create("link"), DoubleColumn.create("seed"),
                DoubleColumn.create("loss"), DoubleColumn.create("link_grad_norm"), StringColumn.create("group"));
        for (String link : List.of("on", "off"))
            for (int seed = 0; seed < 3; seed++)
                for (int e = 0; e < 40; e++) {
                    double drop = link.equals("on") ? Math.max(0, e - 10) : Math.max(0, e - 25);
                    egl.intColumn("epoch").append(e);
                    egl.stringColumn("link").append(link);
                    egl.doubleColumn("seed").append(seed);
                    egl.doubleColumn("loss").append(1.0 * Math.exp(-0.08 * drop) + 0.02 * rnd.nextGaussian());
                    egl.doubleColumn("link_grad_norm").append(link.equals("on") ? 0.5 + 0.3 * Math.exp(-0.1 * e) + 0.05 * rnd.nextDouble() : 0);
                    egl.stringColumn("group").append("Adam 5e-4, link " + link);
                }
        List<Plot> lossPanels = new ArrayList<>();
        for (String setting : List.of("AdamW 1e-4 (paper text)", "Adam 5e-4 (authors' scripts)"))
            lossPanels.add(LineChart.of(egl, "epoch", "loss").series("link").meanOver("seed", LineChart.Band.MIN_MAX).title(setting).plot());
        f.put("egl-loss", Figure.of("egl-loss", lossPanels.toArray(new Plot[0]))
                .title("Copy task: loss with vs without gradient link (mean and min-max over 3 seeds)").data(egl));
        Table linked = egl.where(egl.stringColumn("group").endsWith("link on"));
        List<Plot> gn = new ArrayList<>();
        for (String setting : List.of("AdamW 1e-4", "Adam 5e-4")) {
            gn.add(LineChart.of(linked, "epoch", "loss").meanOver("seed", LineChart.Band.MIN_MAX).title(setting + ": loss (link on)").plot());
            gn.add(LineChart.of(linked, "epoch", "link_grad_norm").meanOver("seed", LineChart.Band.MIN_MAX).title(setting + ": linked read-gradient norm").plot());
        }
        f.put("egl-gradnorm", Figure.grid("egl-gradnorm", 2, gn).title("Linked read-gradient norm and loss (link on; mean and min-max over seeds)").data(linked));
        // egl-attention: 8 maps, 4 columns asked for
        List<Plot> maps = new ArrayList<>();
        for (int epoch : new int[]{5, 40})
            for (String link : List.of("on", "off"))
                for (String kind : List.of("write", "read")) {
                    double[][] w = new double[10][20];
                    for (int t = 0; t < 10; t++) for (int s = 0; s < 20; s++) w[t][s] = Math.max(1e-5, Math.exp(-Math.abs(s - 2 * t) * (epoch / 10.0)));
                    maps.add(Heatmap.of(w).logColor().rowsTopDown().xTitle("slot").yTitle("time step").title(kind + ", epoch " + epoch + ", link " + link).plot());
                }
        f.put("egl-attention", Figure.grid("egl-attention", 4, maps).title("Attention of one sequence (Adam 5e-4, seed 0; log colour 1e-5..max)").size(1400, 800));
        // egl-stability: a learning-rate sweep
        Table sweep = Table.create("sweep", DoubleColumn.create("lr"), StringColumn.create("clip"), StringColumn.create("link"),
                DoubleColumn.create("seed"), DoubleColumn.create("final_loss"), StringColumn.create("outcome"));
        for (double lr : new double[]{1e-4, 3e-4, 1e-3, 3e-3})
            for (String clip : List.of("off", "1.0"))
                for (String link : List.of("on", "off"))
                    for (int seed = 0; seed < 3; seed++) {
                        boolean diverged = lr > 2e-3 && clip.equals("off");
                        sweep.doubleColumn("lr").append(lr);
                        sweep.stringColumn("clip").append(clip);
                        sweep.stringColumn("link").append(link);
                        sweep.doubleColumn("seed").append(seed);
                        sweep.doubleColumn("final_loss").append(diverged ? Double.NaN : 0.5 * Math.pow(lr / 1e-4, -0.5) * (link.equals("on") ? 0.8 : 1) * (1 + 0.1 * rnd.nextDouble()));
                        sweep.stringColumn("outcome").append(diverged ? "diverged" : "stable");
                    }
        sweep.addColumns(StringColumn.create("setting", sweep.stream().map(r -> "clip " + r.getString("clip") + ", link " + r.getString("link")).toList()));
        f.put("egl-stability", Figure.grid("egl-stability", 2, PhaseGrid.of(sweep, "lr", "clip", "outcome").facet("link").plots())
                .title("AdamW, 30 epochs: stable or diverged (majority of 3 seeds)").data(sweep));
        f.put("egl-stability-loss", Figure.of("egl-stability-loss", LineChart.of(sweep, "lr", "final_loss").series("setting")
                .meanOver("seed", LineChart.Band.MIN_MAX).logY().title("Final loss vs learning rate (diverged runs left out of the mean)").plot()));
        // eph-curves: 6 panels in 3 columns
        Table curves = Table.create("eph-curves", IntColumn.create("step"), StringColumn.create("task"), StringColumn.create("label"),
                DoubleColumn.create("seed"), DoubleColumn.create("loss"), DoubleColumn.create("accuracy"), DoubleColumn.create("memory_accuracy"));
        for (String task : List.of("key-recall", "repeated"))
            for (String label : List.of("baseline RNN", "ephemeral weights"))
                for (int seed = 0; seed < 2; seed++)
                    for (int step = 0; step < 200; step += 5) {
                        double learnt = 1 - Math.exp(-step / (label.startsWith("base") ? 60.0 : 80.0));
                        curves.intColumn("step").append(step);
                        curves.stringColumn("task").append(task);
                        curves.stringColumn("label").append(label);
                        curves.doubleColumn("seed").append(seed);
                        curves.doubleColumn("loss").append(2.5 * (1 - learnt) + 0.3 + 0.05 * rnd.nextGaussian());
                        curves.doubleColumn("accuracy").append(0.3 + 0.6 * learnt + 0.03 * rnd.nextGaussian());
                        curves.doubleColumn("memory_accuracy").append(0.1 + 0.8 * learnt + 0.05 * rnd.nextGaussian());
                    }
        List<Plot> panels = new ArrayList<>();
        for (String task : List.of("key-recall", "repeated")) {
            Table t = curves.where(curves.stringColumn("task").isEqualTo(task));
            panels.add(LineChart.of(t, "step", "loss").series("label").meanOver("seed", LineChart.Band.MIN_MAX).title(task + ": loss").plot());
            panels.add(LineChart.of(t, "step", "accuracy").series("label").meanOver("seed", LineChart.Band.MIN_MAX).title(task + ": accuracy").plot());
            panels.add(LineChart.of(t, "step", "memory_accuracy").series("label").meanOver("seed", LineChart.Band.MIN_MAX).title(task + ": accuracy where memory is needed").plot());
        }
        f.put("eph-curves", Figure.grid("eph-curves", 3, panels).size(1400, 800)
                .title("Baseline RNN vs ephemeral weights (trailing mean over 3 steps; mean and min-max over 2 seeds)").data(curves));
        // eph-sweep: outcome and accuracy over lr x plasticity, labels from String.valueOf(double)
        Table sr = Table.create("sr", DoubleColumn.create("lr"), DoubleColumn.create("plasticity"), StringColumn.create("outcome"));
        double[] lrs = {1e-5, 3e-5, 1e-4, 3e-4, 1e-3}, alphas = {1e3, 1e4, 1e5, 1e6, 1e7};
        double[][] acc = new double[alphas.length][lrs.length];
        for (int j = 0; j < alphas.length; j++)
            for (int i = 0; i < lrs.length; i++) {
                sr.doubleColumn("lr").append(lrs[i]);
                sr.doubleColumn("plasticity").append(alphas[j]);
                sr.stringColumn("outcome").append(i + j > 6 ? "exploded" : i + j > 4 ? "loss >= 2" : "stable");
                acc[j][i] = i + j > 6 ? 0.05 : 0.2 + 0.1 * (i + j);
            }
        List<String> lrLabels = java.util.Arrays.stream(lrs).mapToObj(String::valueOf).toList(), alphaLabels = java.util.Arrays.stream(alphas).mapToObj(String::valueOf).toList();
        f.put("eph-sweep", Figure.grid("eph-sweep", 2, List.of(
                PhaseGrid.of(sr, "lr", "plasticity", "outcome").color("exploded", "#d62728").color("loss >= 2", "#ff7f0e").title("outcome").plot(),
                Heatmap.of(acc).xLabels(lrLabels).yLabels(alphaLabels).xTitle("base lr").yTitle("plasticity α").colorTitle("memory acc.")
                        .title("final accuracy on the reversed half (mean over samples)").plot()))
                .size(1300, 500).title("3-character reversed sequences: 25 runs, 200 steps").data(sr));
        // eph-separation: two series whose colours the paper fixes (high red, low blue)
        Table sep = Table.create("sep", IntColumn.create("step"), DoubleColumn.create("seed"), StringColumn.create("weights"), DoubleColumn.create("grad_norm"));
        for (String w : List.of("high plasticity", "low plasticity"))
            for (int seed = 0; seed < 3; seed++)
                for (int step = 0; step < 100; step++) {
                    sep.intColumn("step").append(step);
                    sep.doubleColumn("seed").append(seed);
                    sep.stringColumn("weights").append(w);
                    sep.doubleColumn("grad_norm").append(w.startsWith("high") ? 1 + (rnd.nextDouble() < 0.1 ? 5 : 0) * rnd.nextDouble() : 0.1 * (1 + 0.1 * rnd.nextGaussian()));
                }
        f.put("eph-separation", Figure.grid("eph-separation", 2, List.of(
                        LineChart.of(sep.where(sep.doubleColumn("seed").isEqualTo(0.0)), "step", "grad_norm").series("weights").logY().title("seed 0, every step").plot(),
                        LineChart.of(sep, "step", "grad_norm").series("weights").meanOver("seed", LineChart.Band.MIN_MAX).logY().title("all seeds (min-max)").plot()))
                .size(1300, 450).title("Gradient norms of high- vs low-plasticity weights over training (key-recall)")
                .color("high plasticity", "#d62728").color("low plasticity", "#1f77b4").data(sep));
        // eph-configs: Table 1 as a paper-vs-ours table
        Table configs = Table.create("configs", StringColumn.create("model"), StringColumn.create("updater"), StringColumn.create("recurrence"),
                StringColumn.create("paper"), StringColumn.create("ours"), StringColumn.create("agree"),
                DoubleColumn.create("final_memory_accuracy"), DoubleColumn.create("diverged_share"));
        String[][] rows = {{"rnn", "dfa", "true", "Fail", "poor", "true"}, {"rnn", "backprop", "true", "Good", "good", "true"},
                {"rnn", "bptt", "false", "Poor", "good", "false"}, {"ephemeral", "dfa", "true", "Good", "good", "true"},
                {"ephemeral", "backprop", "false", "Poor", "mixed", "false"}, {"ephemeral", "bptt", "false", "Fail", "untestable", "untestable"}};
        for (String[] r : rows) {
            for (int c = 0; c < 6; c++) configs.stringColumn(c).append(r[c]);
            configs.doubleColumn("final_memory_accuracy").append(0.1 + 0.8 * rnd.nextDouble() + 1e-10);
            configs.doubleColumn("diverged_share").append(rnd.nextInt(4) / 4.0);
        }
        f.put("eph-configs", Figure.of("eph-configs", ComparisonTable.of(configs, "paper", "ours").agree("agree")
                .rows("model", "updater", "recurrence").numbers("final_memory_accuracy", "diverged_share")
                .title("Table 1: outcome per configuration, paper vs ours").plot()).data(configs));
        // eph-clip: thresholds 0.01..100, every run unstable (a constant 0 share)
        Table clip = Table.create("clip", DoubleColumn.create("clip_threshold"), DoubleColumn.create("stable_share"),
                DoubleColumn.create("seed_id"), DoubleColumn.create("tail_memory_accuracy"));
        for (double th : new double[]{0.01, 0.1, 1, 10, 100})
            for (int seed = 0; seed < 3; seed++) {
                clip.doubleColumn("clip_threshold").append(th);
                clip.doubleColumn("stable_share").append(0);
                clip.doubleColumn("seed_id").append(seed);
                clip.doubleColumn("tail_memory_accuracy").append(0.1 + 0.05 * rnd.nextDouble());
            }
        f.put("eph-clip", Figure.grid("eph-clip", 2, List.of(
                        LineChart.of(clip, "clip_threshold", "stable_share").meanOver("seed_id", LineChart.Band.NONE).title("share of stable runs").plot(),
                        LineChart.of(clip, "clip_threshold", "tail_memory_accuracy").meanOver("seed_id", LineChart.Band.MIN_MAX).title("final memory accuracy (mean, min-max)").plot()))
                .size(1300, 450).title("Weight clipping at lr 0.0002, α 1e+05 (x: threshold, log spaced 0.01..100)").data(clip));
        // eph-warning: a long-format table (factor, rate, value)
        Table warn = Table.create("warn", DoubleColumn.create("factor"), StringColumn.create("rate"), DoubleColumn.create("value"));
        for (double fac : new double[]{1.25, 1.5, 2, 3})
            for (String rate : List.of("hit_rate", "false_alarm_rate")) {
                warn.doubleColumn("factor").append(fac);
                warn.stringColumn("rate").append(rate);
                warn.doubleColumn("value").append(rate.equals("hit_rate") ? 1 / fac : 0.5 / (fac * fac));
            }
        f.put("eph-warning", Figure.of("eph-warning", LineChart.of(warn, "factor", "value").series("rate")
                .title("Ratio alarm over the sweep's runs (window 3 steps): hit rate vs false-alarm rate").plot()));
        return f;
    }
}
