package memlab.pmnet;

import memlab.plot.ComparisonTable;
import memlab.plot.Figure;
import memlab.plot.LineChart;
import memlab.stats.Spread;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.Map;

/**
 * The figures of notebook 03 (PMNet), drawn from our runs so that the notebook's cells stay short.
 * Each returns a {@link Figure} with its data attached; the notebook saves and shows it.
 */
public final class PhasorFigures {
    private PhasorFigures() {}

    /** One row per model, gap and run: the runs' exact retrieval after training. */
    public static Table copyTable(Map<String, Map<Integer, CopyPasteExperiment.Result>> byModel) {
        Table t = Table.create("pm-copy").addColumns(StringColumn.create("model"), IntColumn.create("gap"), IntColumn.create("seed"),
                DoubleColumn.create("exact"), DoubleColumn.create("byte_accuracy"));
        byModel.forEach((model, byGap) -> byGap.forEach((gap, r) -> {
            for (int k = 0; k < r.setup().seeds().length; k++) {
                t.stringColumn("model").append(model);
                t.intColumn("gap").append(gap);
                t.intColumn("seed").append((int) r.setup().seeds()[k]);
                t.doubleColumn("exact").append(r.evaluation().exact()[k]);
                t.doubleColumn("byte_accuracy").append(r.evaluation().accuracy()[k]);
            }
        }));
        return t;
    }

    /** {@code pm-copy}: exact retrieval vs gap (log), one line per model, mean and min–max over seeds. */
    public static Figure copy(Map<String, Map<Integer, CopyPasteExperiment.Result>> byModel, int reach) {
        Table t = copyTable(byModel);
        return Figure.of("pm-copy", LineChart.of(t, "gap", "exact").series("model").meanOver("seed", LineChart.Band.MIN_MAX).logX(true)
                        .yRange(-0.02, 1.02).xTitle("gap G between the span and the paste marker (bytes, log scale)")
                        .yTitle("exact retrieval (share of spans all right)").plot())
                .title("Byte copy-paste: exact retrieval vs gap; the windows reach " + reach + " positions back (mean, min–max over seeds)").data(t);
    }

    /** One row per state (e.g. "phasor, trained"), run and BPTT depth: the gradient norm. */
    public static Table gradNormTable(Map<String, StateGradients.Profile> profiles) {
        Table t = Table.create("pm-gradnorm").addColumns(StringColumn.create("state"), IntColumn.create("run"), IntColumn.create("depth"),
                DoubleColumn.create("grad_norm"));
        profiles.forEach((state, p) -> {
            for (int r = 0; r < p.norms().length; r++)
                for (int d = 0; d <= p.lossPosition(); d++) {
                    t.stringColumn("state").append(state);
                    t.intColumn("run").append(r);
                    t.intColumn("depth").append(d);
                    t.doubleColumn("grad_norm").append(p.norms()[r][p.lossPosition() - d]);
                }
        });
        return t;
    }

    /** {@code pm-gradnorm}: ‖∂L/∂s_t‖ vs depth τ − t (log y), one line per state, mean and min–max over runs. */
    public static Figure gradNorm(Map<String, StateGradients.Profile> profiles) {
        Table t = gradNormTable(profiles);
        return Figure.of("pm-gradnorm", LineChart.of(t, "depth", "grad_norm").series("state").meanOver("run", LineChart.Band.MIN_MAX).logY()
                        .xTitle("BPTT depth τ − t (positions before the loss)").yTitle("gradient norm ‖∂L/∂s_t‖ (log scale)").plot())
                .title("Gradient of the loss at the last answer with respect to the memory state of each earlier step (mean, min–max over seeds)").data(t);
    }

    /** {@code pm-ablation}: a paper-vs-ours table, one row per switch, with the exact retrieval at the gap. */
    public static Figure ablation(double[] full, Map<String, double[]> switched, int gap, double tolerance) {
        Table t = Table.create("pm-ablation").addColumns(StringColumn.create("model"), StringColumn.create("paper"), StringColumn.create("ours"),
                DoubleColumn.create("exact retrieval (mean)"), DoubleColumn.create("sd over seeds"));
        Spread f = Spread.of(full);
        t.stringColumn("model").append("full PMNet");
        t.stringColumn("paper").append("reference");
        t.stringColumn("ours").append("reference");
        t.doubleColumn("exact retrieval (mean)").append(f.mean());
        t.doubleColumn("sd over seeds").append(f.std());
        switched.forEach((name, v) -> {
            Spread s = Spread.of(v);
            double delta = s.mean() - f.mean();
            t.stringColumn("model").append(name);
            t.stringColumn("paper").append("hurts");
            t.stringColumn("ours").append(s.isEmpty() || f.isEmpty() ? "untestable" : delta < -tolerance ? "hurts" : delta > tolerance ? "helps" : "no effect");
            t.doubleColumn("exact retrieval (mean)").append(s.mean());
            t.doubleColumn("sd over seeds").append(s.std());
        });
        return Figure.of("pm-ablation", ComparisonTable.of(t, "paper", "ours").rows("model").numbers("exact retrieval (mean)", "sd over seeds")
                        .title("Each switch at gap " + gap + " (past the windows' reach): does it hurt retrieval? (tolerance " + tolerance + ")").plot())
                .data(t);
    }

    /** One row per model, run and position: the held-out loss in bits per byte. */
    public static Table longContextTable(Map<String, ByteLm.Result> byModel) {
        Table t = Table.create("pm-longctx").addColumns(StringColumn.create("model"), IntColumn.create("run"), IntColumn.create("position"),
                DoubleColumn.create("bits_per_byte"));
        byModel.forEach((model, r) -> {
            for (int k = 0; k < r.positionLoss().length; k++)
                for (int p = 0; p < r.positionLoss()[k].length; p++) {
                    t.stringColumn("model").append(model);
                    t.intColumn("run").append(k);
                    t.intColumn("position").append(p);
                    t.doubleColumn("bits_per_byte").append(r.positionLoss()[k][p]);
                }
        });
        return t;
    }

    /** {@code pm-longctx}: held-out loss per position, trained on {@code trainLength} bytes, one line per model. */
    public static Figure longContext(Map<String, ByteLm.Result> byModel, int trainLength) {
        Table t = longContextTable(byModel);
        return Figure.of("pm-longctx", LineChart.of(t, "position", "bits_per_byte").series("model").meanOver("run", LineChart.Band.MIN_MAX)
                        .xTitle("position in the held-out window (bytes; trained on the first " + trainLength + ")")
                        .yTitle("loss (bits per byte)").plot())
                .title("Byte LM on the corpus: loss per position beyond the training length (mean, min–max over seeds)").data(t);
    }
}
