package memlab.diagnostics;

import ai.djl.ndarray.NDManager;
import memlab.core.Check;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.List;

/**
 * {@link Diagnostics} measured every few training steps: how the gradient share of the memory path,
 * the saturation of the addressing and the ablation Δloss evolve over training (the curves of
 * {@code dil-gradflow} and {@code dil-hybrid}). One trace serves every {@link MemoryModel}; the
 * training loop calls {@link #maybeMeasure} after each step.
 */
public final class Trace {
    private final MemoryModel model;
    private final int every;
    private final List<Integer> steps = new ArrayList<>();
    private final List<Diagnostics.Report> reports = new ArrayList<>();

    /**
     * @param model what to measure
     * @param every measure at steps {@code 0, every, 2·every, …} ({@code > 0})
     */
    public Trace(MemoryModel model, int every) {
        this.model = model;
        this.every = Check.positive("every", every);
    }

    /** Measures when {@code step} is a multiple of {@code every}; arrays live in a sub-manager of {@code parent}. */
    public void maybeMeasure(int step, NDManager parent) {
        if (step % every == 0) measure(step, parent);
    }

    /** Measures now, recorded as {@code step}. */
    public Diagnostics.Report measure(int step, NDManager parent) {
        Diagnostics.Report report = Diagnostics.measure(model, parent);
        steps.add(step);
        reports.add(report);
        return report;
    }

    /** Steps measured, in order. */
    public List<Integer> steps() { return List.copyOf(steps); }

    /** The reports, in the order of {@link #steps()}. */
    public List<Diagnostics.Report> reports() { return List.copyOf(reports); }

    /** The last report, or an error if nothing was measured. */
    public Diagnostics.Report last() {
        if (reports.isEmpty()) throw new IllegalStateException("nothing measured yet");
        return reports.get(reports.size() - 1);
    }

    /** {@link Diagnostics.Report#table()} of every measurement, with a leading {@code step} column. */
    public Table table() {
        IntColumn step = IntColumn.create("step");
        Table all = null;
        for (int i = 0; i < reports.size(); i++) {
            Table t = reports.get(i).table();
            for (int r = 0; r < t.rowCount(); r++) step.append(steps.get(i));
            all = all == null ? t : all.append(t);
        }
        if (all == null)
            all = Table.create("memory-diagnostics", IntColumn.create("run"), StringColumn.create("measure"),
                    StringColumn.create("of"), DoubleColumn.create("value"));
        all.insertColumn(0, step);
        return all.setName("memory-diagnostics-trace");
    }
}
