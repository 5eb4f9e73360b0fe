package memlab.ntm;

import memlab.diagnostics.Trace;
import memlab.train.RunRecorder;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.List;
import java.util.function.IntFunction;

/** Tables of the NTM experiments with each row's condition and seed beside its run index (for plots over seeds). */
final class TraceTables {
    private TraceTables() {}

    /** {@link Trace#table()} with columns {@code condition} and {@code seed} of each row's run. */
    static Table trace(Trace trace, IntFunction<String> condition, IntFunction<Long> seed) {
        return labelled(trace.table(), condition, seed);
    }

    /** {@link RunRecorder#table()} with columns {@code condition} and {@code seed} of each row's run. */
    static Table curves(RunRecorder recorder, IntFunction<String> condition, IntFunction<Long> seed) {
        return labelled(recorder.table(), condition, seed);
    }

    private static Table labelled(Table t, IntFunction<String> condition, IntFunction<Long> seed) {
        IntColumn run = t.intColumn("run");
        StringColumn c = StringColumn.create("condition");
        LongColumn s = LongColumn.create("seed");
        for (int i = 0; i < t.rowCount(); i++) {
            c.append(condition.apply(run.get(i)));
            s.append(seed.apply(run.get(i)));
        }
        return t.addColumns(c, s);
    }

    /** Rows of {@code t} whose {@code measure} is {@code measure} (and whose {@code of} is {@code of}, if not null). */
    static Table measure(Table t, String measure, String of) {
        Table r = t.where(t.stringColumn("measure").isEqualTo(measure));
        return of == null ? r : r.where(r.stringColumn("of").isEqualTo(of));
    }

    /** Appends tables with the same columns. */
    static Table concat(List<Table> parts) {
        Table all = null;
        for (Table p : parts) all = all == null ? p.copy() : all.append(p);
        if (all == null) throw new IllegalArgumentException("nothing to concatenate");
        return all;
    }

    /** A double column of {@code n} copies of {@code v}. */
    static DoubleColumn constant(String name, int n, double v) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, v);
        return DoubleColumn.create(name, a);
    }
}
