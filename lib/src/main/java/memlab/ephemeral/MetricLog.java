package memlab.ephemeral;

import memlab.core.Check;
import memlab.train.Divergence;
import memlab.train.RunRecorder;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The per-step metrics of a long batched training, kept as block means: one row per run every
 * {@code stride} steps, so that 100 000 steps of many runs stay a few thousand rows per run (and a
 * checkpoint stays small).
 *
 * <p>Row of run r for the block of steps {@code (k·stride − stride, k·stride − 1]}: {@code step =
 * k·stride − 1} and, per metric, the mean of its finite values over the block's steps
 * ({@code m̄ = (1/n) Σ_{s in block, m_s finite} m_s}, NaN when none is finite — e.g. a step with no
 * memory position). A run whose loss breaks the {@link Divergence} rule at step d gets a last row at
 * {@code step = d} holding that step's own values (the value that broke the rule, as
 * {@link RunRecorder} keeps it) and no rows after; the other runs go on. With {@code stride = 1}
 * the rows are exactly {@link RunRecorder}'s.
 */
public final class MetricLog {
    private final int runs, stride;
    private final Divergence rule;
    private final int[] divergedAt;
    private List<String> metrics;
    /** Per run: the rows, each {step, metric values...} as floats (steps below 2^24 are exact). */
    private final List<List<float[]>> rows = new ArrayList<>();
    /** Per run and metric: the running sum and count of the current block. */
    private double[][] sum;
    private int[][] count;

    /**
     * @param runs   runs recorded side by side, {@code > 0}
     * @param stride steps per row, {@code > 0}
     * @param rule   when a run counts as diverged
     */
    public MetricLog(int runs, int stride, Divergence rule) {
        this.runs = Check.positive("runs", runs);
        this.stride = Check.positive("stride", stride);
        this.rule = Check.notNull("rule", rule);
        this.divergedAt = new int[runs];
        Arrays.fill(divergedAt, -1);
        for (int r = 0; r < runs; r++) rows.add(new ArrayList<>());
    }

    /**
     * Adds step {@code step} (steps come in order from 0) of every live run.
     *
     * @param metrics one value per run for each metric; the same metrics every step, with {@value RunRecorder#LOSS}
     * @return for each run, whether it is still alive after this step
     */
    public boolean[] add(int step, Map<String, float[]> metrics) {
        if (this.metrics == null) {
            if (!metrics.containsKey(RunRecorder.LOSS)) throw new IllegalArgumentException("metrics must include '" + RunRecorder.LOSS + "', got " + metrics.keySet());
            this.metrics = List.copyOf(metrics.keySet());
            sum = new double[runs][this.metrics.size()];
            count = new int[runs][this.metrics.size()];
        } else if (!new java.util.HashSet<>(this.metrics).equals(metrics.keySet()))
            throw new IllegalArgumentException("metrics " + metrics.keySet() + " differ from the first step's " + this.metrics);
        float[] loss = metrics.get(RunRecorder.LOSS);
        boolean[] alive = new boolean[runs];
        boolean blockEnd = (step + 1) % stride == 0;
        for (int r = 0; r < runs; r++) {
            if (divergedAt[r] >= 0) continue;
            if (rule.test(loss[r])) {
                divergedAt[r] = step;
                float[] row = new float[this.metrics.size() + 1];
                row[0] = step;
                for (int m = 0; m < this.metrics.size(); m++) row[m + 1] = metrics.get(this.metrics.get(m))[r];
                rows.get(r).add(row);
                Arrays.fill(sum[r], 0);   // its open block ends with it
                Arrays.fill(count[r], 0);
                continue;
            }
            alive[r] = true;
            for (int m = 0; m < this.metrics.size(); m++) {
                float v = metrics.get(this.metrics.get(m))[r];
                if (Float.isFinite(v)) {
                    sum[r][m] += v;
                    count[r][m]++;
                }
            }
            if (blockEnd) {
                float[] row = new float[this.metrics.size() + 1];
                row[0] = step;
                for (int m = 0; m < this.metrics.size(); m++) {
                    row[m + 1] = count[r][m] == 0 ? Float.NaN : (float) (sum[r][m] / count[r][m]);
                    sum[r][m] = 0;
                    count[r][m] = 0;
                }
                rows.get(r).add(row);
            }
        }
        return alive;
    }

    /** Whether a block is open (some steps added since the last row): a checkpoint is taken only between blocks. */
    boolean midBlock() {
        if (count == null) return false;
        for (int[] c : count) for (int n : c) if (n > 0) return true;
        return false;
    }

    public int runs() { return runs; }

    public int stride() { return stride; }

    /** Whether run {@code r} has diverged. */
    public boolean diverged(int r) { return divergedAt[r] >= 0; }

    /** The step run {@code r} diverged at, or -1. */
    public int divergedAt(int r) { return divergedAt[r]; }

    /** Per run, the step it diverged at or -1. */
    public int[] divergedAt() { return divergedAt.clone(); }

    /** Number of rows of run {@code r}. */
    public int rowCount(int r) { return rows.get(r).size(); }

    /**
     * Mean of {@code metric} over the rows of run {@code r} whose step lies in the last {@code steps}
     * steps recorded ({@code step > last − steps}), finite values only; a diverged run gives the value
     * that broke the rule. NaN without rows.
     */
    public double tailMean(int r, String metric, int steps) {
        Check.positive("steps", steps);
        List<float[]> rr = rows.get(r);
        if (rr.isEmpty() || metrics == null || !metrics.contains(metric)) return Double.NaN;
        int m = metrics.indexOf(metric) + 1;
        if (diverged(r)) return rr.get(rr.size() - 1)[m];
        float last = rr.get(rr.size() - 1)[0];
        double s = 0;
        int n = 0;
        for (int i = rr.size() - 1; i >= 0 && rr.get(i)[0] > last - steps; i--)
            if (Float.isFinite(rr.get(i)[m])) {
                s += rr.get(i)[m];
                n++;
            }
        return n == 0 ? Double.NaN : s / n;
    }

    /** One row per (run, block): {@code run, step} (the block's last step) and one column per metric; run-major. */
    public Table table() {
        Table t = Table.create("metrics");
        IntColumn run = IntColumn.create("run"), step = IntColumn.create("step");
        List<DoubleColumn> cols = new ArrayList<>();
        for (String m : metrics == null ? List.<String>of() : metrics) cols.add(DoubleColumn.create(m));
        for (int r = 0; r < runs; r++)
            for (float[] row : rows.get(r)) {
                run.append(r);
                step.append((int) row[0]);
                for (int m = 0; m < cols.size(); m++) cols.get(m).append(row[m + 1]);
            }
        t.addColumns(run, step);
        cols.forEach(t::addColumns);
        return t;
    }

    /** Writes the log (between blocks) to {@code out}. */
    void write(DataOutputStream out) throws IOException {
        if (midBlock()) throw new IllegalStateException("a checkpoint must be taken at a block end (every multiple of " + stride + " steps)");
        out.writeInt(runs);
        out.writeInt(stride);
        List<String> ms = metrics == null ? List.of() : metrics;
        out.writeInt(ms.size());
        for (String m : ms) out.writeUTF(m);
        for (int r = 0; r < runs; r++) {
            out.writeInt(divergedAt[r]);
            out.writeInt(rows.get(r).size());
            for (float[] row : rows.get(r)) for (float v : row) out.writeFloat(v);
        }
    }

    /** Reads a log written by {@link #write}; its runs and stride must be this log's. Replaces this log's contents. */
    void read(DataInputStream in) throws IOException {
        int rr = in.readInt(), st = in.readInt();
        if (rr != runs || st != stride)
            throw new IllegalStateException("the saved metrics have " + rr + " runs, stride " + st + "; this run " + runs + " runs, stride " + stride);
        int k = in.readInt();
        if (k < 0 || k > 1000) throw new IllegalStateException("the saved metrics claim " + k + " metrics");
        List<String> ms = new ArrayList<>();
        for (int i = 0; i < k; i++) ms.add(in.readUTF());
        metrics = k == 0 ? null : List.copyOf(ms);
        if (metrics != null) {
            sum = new double[runs][k];
            count = new int[runs][k];
        }
        for (int r = 0; r < runs; r++) {
            divergedAt[r] = in.readInt();
            int n = in.readInt();
            if (n < 0) throw new IllegalStateException("the saved metrics claim " + n + " rows for run " + r);
            List<float[]> list = rows.get(r);
            list.clear();
            for (int i = 0; i < n; i++) {
                float[] row = new float[k + 1];
                for (int j = 0; j <= k; j++) row[j] = in.readFloat();
                list.add(row);
            }
        }
    }
}
