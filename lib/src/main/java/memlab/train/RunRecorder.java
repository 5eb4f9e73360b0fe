package memlab.train;

import memlab.core.Check;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Records per-step metrics of one or more runs (the runs of a batched model), with run metadata
 * (seed, settings, device, wall time), and decides when a run has diverged.
 *
 * <p>A run diverges when its {@code loss} breaks the {@link Divergence} rule. From then on its rows
 * stop (its curve ends where it blew up), {@link #diverged(int)} is true and the step is kept;
 * nothing is thrown, so a sweep goes on.
 */
public final class RunRecorder {
    /** The metric divergence is judged on. */
    public static final String LOSS = "loss";

    private final String name;
    private final int runs;
    private final Divergence rule;
    private final List<Map<String, Object>> meta = new ArrayList<>();
    private final int[] divergedAt;
    private final long startNanos = System.nanoTime();
    private double wallSeconds = Double.NaN;
    private final List<int[]> keys = new ArrayList<>(); // {run, step}
    private final Map<String, List<Double>> columns = new LinkedHashMap<>();

    /**
     * @param name a file-name-safe name, e.g. {@code egl-loss-adam}
     * @param runs number of runs recorded side by side, {@code > 0}
     * @param rule when a run counts as diverged
     */
    public RunRecorder(String name, int runs, Divergence rule) {
        this.name = name;
        this.runs = memlab.core.Check.positive("runs", runs);
        this.rule = rule;
        this.divergedAt = new int[runs];
        Arrays.fill(divergedAt, -1);
        for (int r = 0; r < runs; r++) meta.add(new LinkedHashMap<>());
    }

    /** A recorder for a single run. */
    public static RunRecorder single(String name, Divergence rule) {
        return new RunRecorder(name, 1, rule);
    }

    /** Columns of {@link #summary()} the recorder writes itself; metadata may not take their names. */
    private static final java.util.Set<String> SUMMARY_COLUMNS = java.util.Set.of("run", "diverged", "diverged_at", "wall_s");

    /** Sets metadata {@code key = value} on every run. */
    public RunRecorder meta(String key, Object value) {
        checkMetaKey(key);
        for (int r = 0; r < runs; r++) meta.get(r).put(key, value);
        return this;
    }

    /** Sets metadata {@code key = value} on run {@code r}. */
    public RunRecorder meta(int r, String key, Object value) {
        checkMetaKey(key);
        meta.get(r).put(key, value);
        return this;
    }

    private static void checkMetaKey(String key) {
        if (key == null || key.isBlank() || SUMMARY_COLUMNS.contains(key) || key.startsWith("final_"))
            throw new IllegalArgumentException("meta key '" + key + "' is refused: the summary writes " + new java.util.TreeSet<>(SUMMARY_COLUMNS)
                    + " and final_<metric> itself; choose another name");
    }

    /**
     * Records one step of every live run: {@code metrics} maps a metric name to one value per run.
     * If the map has {@value #LOSS}, it is checked for divergence.
     *
     * @return for each run, whether it is still alive after this step
     */
    public boolean[] record(int step, Map<String, float[]> metrics) {
        for (Map.Entry<String, float[]> e : metrics.entrySet())
            if (e.getKey() == null || e.getKey().equals("run") || e.getKey().equals("step"))
                throw new IllegalArgumentException("metric '" + e.getKey() + "' is refused: the per-step table writes 'run' and 'step' itself; choose another name");
            else if (e.getValue().length != runs)
                throw new IllegalArgumentException("metric '" + e.getKey() + "' has " + e.getValue().length + " values, expected one per run (" + runs + ")");
        float[] loss = metrics.get(LOSS);
        boolean[] alive = new boolean[runs];
        for (int r = 0; r < runs; r++) {
            if (divergedAt[r] >= 0) continue;
            if (loss != null && rule.test(loss[r])) divergedAt[r] = step;
            keys.add(new int[]{r, step});
            int row = keys.size() - 1;
            for (Map.Entry<String, float[]> e : metrics.entrySet()) {
                List<Double> col = columns.computeIfAbsent(e.getKey(), k -> new ArrayList<>());
                while (col.size() < row) col.add(Double.NaN); // a metric first seen late
                col.add((double) e.getValue()[r]);
            }
            alive[r] = divergedAt[r] < 0;
        }
        for (List<Double> col : columns.values()) while (col.size() < keys.size()) col.add(Double.NaN);
        return alive;
    }

    /** Convenience for a single run: {@code record(step, "loss", 0.5, "grad_norm", 1.2)}. */
    public boolean record(int step, Object... nameValuePairs) {
        if (nameValuePairs.length % 2 != 0) throw new IllegalArgumentException("record needs name, value pairs");
        Map<String, float[]> m = new LinkedHashMap<>();
        for (int i = 0; i < nameValuePairs.length; i += 2)
            m.put((String) nameValuePairs[i], new float[]{((Number) nameValuePairs[i + 1]).floatValue()});
        return record(step, m)[0];
    }

    /**
     * Joins recorders of runs trained one group after another into one recorder whose runs are
     * theirs in order (run {@code r} of the second part becomes {@code parts[0].runs() + r}). Its wall
     * time is the sum of theirs.
     */
    public static RunRecorder concat(String name, List<RunRecorder> parts) {
        if (parts.isEmpty()) throw new IllegalArgumentException("parts must not be empty");
        RunRecorder out = new RunRecorder(name, parts.stream().mapToInt(RunRecorder::runs).sum(), parts.get(0).rule);
        int offset = 0;
        double wall = 0;
        for (RunRecorder part : parts) {
            for (int r = 0; r < part.runs; r++) {
                out.meta.get(offset + r).putAll(part.meta.get(r));
                out.divergedAt[offset + r] = part.divergedAt[r];
            }
            for (String metric : part.columns.keySet()) out.columns.computeIfAbsent(metric, k -> new ArrayList<>());
            int before = out.keys.size();
            for (int[] k : part.keys) out.keys.add(new int[]{k[0] + offset, k[1]});
            for (Map.Entry<String, List<Double>> col : out.columns.entrySet()) {
                List<Double> src = part.columns.get(col.getKey());
                while (col.getValue().size() < before) col.getValue().add(Double.NaN);
                for (int i = 0; i < part.keys.size(); i++) col.getValue().add(src == null ? Double.NaN : src.get(i));
            }
            offset += part.runs;
            wall += part.wallSeconds();
        }
        out.wallSeconds = wall;
        return out;
    }

    /** Whether run {@code r} has diverged. */
    public boolean diverged(int r) { return divergedAt[r] >= 0; }

    /** The step at which run {@code r} diverged, or -1. */
    public int divergedAt(int r) { return divergedAt[r]; }

    /** Number of runs. */
    public int runs() { return runs; }

    /** The recorder's name. */
    public String name() { return name; }

    /** Marks the end of training: fixes the wall time. */
    public RunRecorder finish() {
        wallSeconds = (System.nanoTime() - startNanos) / 1e9;
        return this;
    }

    /** Wall seconds from creation to {@link #finish()} (or to now, if not finished). */
    public double wallSeconds() {
        return Double.isNaN(wallSeconds) ? (System.nanoTime() - startNanos) / 1e9 : wallSeconds;
    }

    /** The last recorded value of {@code metric} for run {@code r} (NaN if none). */
    public double last(int r, String metric) {
        List<Double> col = columns.get(metric);
        if (col == null) return Double.NaN;
        for (int i = keys.size() - 1; i >= 0; i--) if (keys.get(i)[0] == r) return col.get(i);
        return Double.NaN;
    }

    /**
     * A "final" value that one noisy step does not decide: the mean of {@code metric} over the last
     * {@code steps} recorded steps of run {@code r}, {@code (1/k) Σ_{s > S−k} m_s}. A diverged run
     * returns the value that broke the rule (its later steps were never recorded).
     */
    public double tailMean(int r, String metric, int steps) {
        Check.positive("steps", steps);
        if (diverged(r)) return last(r, metric);
        List<Double> col = columns.get(metric);
        if (col == null) return Double.NaN;
        double sum = 0;
        int n = 0;
        for (int i = keys.size() - 1; i >= 0 && n < steps; i--) {
            if (keys.get(i)[0] != r || Double.isNaN(col.get(i))) continue;   // NaN: no such position drawn that step
            sum += col.get(i);
            n++;
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** One row per (run, step): columns {@code run}, {@code step} and one per metric. */
    public Table table() {
        Table t = Table.create(name);
        t.addColumns(IntColumn.create("run", keys.stream().mapToInt(k -> k[0]).toArray()),
                IntColumn.create("step", keys.stream().mapToInt(k -> k[1]).toArray()));
        for (Map.Entry<String, List<Double>> e : columns.entrySet())
            t.addColumns(DoubleColumn.create(e.getKey(), e.getValue().stream().mapToDouble(Double::doubleValue).toArray()));
        return t;
    }

    /**
     * One row per run: its metadata, {@code diverged}, {@code diverged_at}, the last value of every
     * metric ({@code final_<metric>}) and {@code wall_s}.
     */
    public Table summary() {
        Table t = Table.create(name + "-runs");
        t.addColumns(IntColumn.create("run"));
        TreeSet<String> metaKeys = new TreeSet<>();
        meta.forEach(m -> metaKeys.addAll(m.keySet()));
        for (String k : metaKeys) t.addColumns(StringColumn.create(k));
        t.addColumns(StringColumn.create("diverged"), IntColumn.create("diverged_at"));
        for (String metric : columns.keySet()) t.addColumns(DoubleColumn.create("final_" + metric));
        t.addColumns(DoubleColumn.create("wall_s"));
        for (int r = 0; r < runs; r++) {
            t.intColumn("run").append(r);
            for (String k : metaKeys) t.stringColumn(k).append(String.valueOf(meta.get(r).getOrDefault(k, "")));
            t.stringColumn("diverged").append(String.valueOf(diverged(r)));
            t.intColumn("diverged_at").append(divergedAt[r]);
            for (String metric : columns.keySet()) t.doubleColumn("final_" + metric).append(last(r, metric));
            t.doubleColumn("wall_s").append(wallSeconds());
        }
        return t;
    }

    /** Writes {@code <name>.csv} (per step) and {@code <name>-runs.csv} (per run) into {@code dir}. */
    public void writeCsv(Path dir) {
        try {
            Files.createDirectories(dir);
            table().write().csv(dir.resolve(name + ".csv").toFile());
            summary().write().csv(dir.resolve(name + "-runs.csv").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
