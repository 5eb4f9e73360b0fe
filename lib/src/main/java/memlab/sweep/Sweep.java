package memlab.sweep;

import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * A grid of settings × seeds, run cell by cell or in batches, into one results table.
 *
 * <p>Results are written to a CSV file as each cell (or batch of cells) finishes; run the sweep
 * again and the cells already in the file are skipped, so an interrupted sweep resumes where it
 * stopped. A cell that throws is recorded with {@code status=error} and the sweep goes on; a
 * diverged run is whatever the runner reports (normally {@code diverged=true}), never an exception.
 *
 * <p>Models that can train several runs as a batch dimension opt in through
 * {@link #runBatched(BatchRunner, int, Function)}: the sweep hands them lists of compatible cells.
 */
public final class Sweep {
    /** Runs one cell; returns its result columns (e.g. final loss, diverged). */
    @FunctionalInterface
    public interface CellRunner {
        Map<String, Object> run(Cell cell) throws Exception;
    }

    /** Runs several cells as one batched model; returns one result per cell, in order. */
    @FunctionalInterface
    public interface BatchRunner {
        List<Map<String, Object>> run(List<Cell> cells) throws Exception;
    }

    private final String name;
    private final LinkedHashMap<String, List<Object>> axes;
    private final long[] seeds;
    private final Path resultsFile;
    private final List<Map<String, Object>> rows = new ArrayList<>();
    private final Set<String> done = new LinkedHashSet<>();

    private Sweep(String name, LinkedHashMap<String, List<Object>> axes, long[] seeds, Path resultsFile) {
        this.name = name;
        this.axes = axes;
        this.seeds = seeds;
        this.resultsFile = resultsFile;
        load();
    }

    /** Starts describing a sweep called {@code name}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Every cell of the grid, axes varying slowest-first in the order they were added, seeds fastest. */
    public List<Cell> cells() {
        List<Cell> out = new ArrayList<>();
        List<String> names = new ArrayList<>(axes.keySet());
        int[] idx = new int[names.size()];
        while (true) {
            for (long s : seeds) {
                Map<String, Object> setting = new LinkedHashMap<>();
                for (int i = 0; i < names.size(); i++) setting.put(names.get(i), axes.get(names.get(i)).get(idx[i]));
                out.add(new Cell(setting, s));
            }
            int k = names.size() - 1;
            while (k >= 0 && ++idx[k] == axes.get(names.get(k)).size()) idx[k--] = 0;
            if (k < 0) return out;
        }
    }

    /** Cells not yet in the results file. */
    public List<Cell> pending() {
        return cells().stream().filter(c -> !done.contains(c.key())).toList();
    }

    /** Runs every pending cell, one at a time. */
    public Table run(CellRunner runner) {
        for (Cell c : pending()) {
            memlab.notebook.Interrupt.check();
            Map<String, Object> result;
            try {
                result = runner.run(c);
            } catch (Exception | Error e) {
                if (e instanceof Error err && !(err instanceof AssertionError)) throw err;
                result = errorResult(e);
            }
            add(c, result);
        }
        return table();
    }

    /**
     * Runs every pending cell in batches of at most {@code maxBatch} cells that share the same
     * {@code compatible.apply(cell)} (e.g. the same model size), so a model can train them as one.
     */
    public Table runBatched(BatchRunner runner, int maxBatch, Function<Cell, Object> compatible) {
        memlab.core.Check.positive("maxBatch", maxBatch);
        Map<Object, List<Cell>> groups = new LinkedHashMap<>();
        for (Cell c : pending()) groups.computeIfAbsent(compatible.apply(c), k -> new ArrayList<>()).add(c);
        for (List<Cell> group : groups.values()) {
            for (int i = 0; i < group.size(); i += maxBatch) {
                List<Cell> batch = group.subList(i, Math.min(group.size(), i + maxBatch));
                memlab.notebook.Interrupt.check();
                List<Map<String, Object>> results;
                try {
                    results = runner.run(batch);
                    if (results.size() != batch.size())
                        throw new IllegalStateException("batch runner returned " + results.size() + " results for " + batch.size() + " cells");
                } catch (Exception e) {
                    Map<String, Object> err = errorResult(e);
                    results = batch.stream().map(c -> err).toList();
                }
                for (int j = 0; j < batch.size(); j++) add(batch.get(j), results.get(j));
            }
        }
        return table();
    }

    /** Runs every pending cell in batches of at most {@code maxBatch}. */
    public Table runBatched(BatchRunner runner, int maxBatch) {
        return runBatched(runner, maxBatch, c -> "all");
    }

    /**
     * The results of this sweep's cells so far (including those loaded from the results file). Rows
     * of other cells that share the file (another grid, another one-valued setting) stay in the file
     * but are not returned.
     */
    public Table table() {
        java.util.Set<String> mine = new java.util.HashSet<>();
        for (Cell c : cells()) mine.add(c.key());
        List<Map<String, Object>> own = rows.stream().filter(r -> mine.contains(cellOf(r).key())).toList();
        if (own.isEmpty()) return Table.create(name);
        return Table.read().csv(CsvReadOptions.builder(new java.io.StringReader(csv(own))).tableName(name).build());
    }

    /** The cell a result row belongs to (values as they were written: compared as text by {@link Cell#key()}). */
    private Cell cellOf(Map<String, Object> row) {
        Map<String, Object> setting = new LinkedHashMap<>();
        for (String a : axes.keySet()) setting.put(a, row.get(a));
        return new Cell(setting, Long.parseLong(String.valueOf(row.get("seed"))));
    }

    /** The results file. */
    public Path resultsFile() {
        return resultsFile;
    }

    private static Map<String, Object> errorResult(Throwable e) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("status", "error");
        r.put("error", e.getClass().getSimpleName() + ": " + Objects.toString(e.getMessage(), ""));
        return r;
    }

    private void add(Cell c, Map<String, Object> result) {
        Map<String, Object> row = new LinkedHashMap<>(c.settings());
        row.put("seed", c.seed());
        if (!result.containsKey("status")) row.put("status", "ok");
        row.putAll(result);
        rows.add(row);
        done.add(c.key());
        save();
    }

    private static String csv(List<Map<String, Object>> rows) {
        LinkedHashSet<String> header = new LinkedHashSet<>();
        rows.forEach(r -> header.addAll(r.keySet()));
        StringBuilder sb = new StringBuilder(String.join(",", header.stream().map(Sweep::quote).toList())).append('\n');
        for (Map<String, Object> r : rows)
            sb.append(String.join(",", header.stream().map(h -> quote(r.containsKey(h) ? String.valueOf(r.get(h)) : "")).toList())).append('\n');
        return sb.toString();
    }

    private void save() {
        String sb = csv(rows);
        try {
            Files.createDirectories(resultsFile.toAbsolutePath().getParent());
            Path tmp = resultsFile.resolveSibling(resultsFile.getFileName() + ".tmp");
            Files.writeString(tmp, sb);
            Files.move(tmp, resultsFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void load() {
        if (!Files.exists(resultsFile)) return;
        try {
            List<String> lines = Files.readAllLines(resultsFile);
            if (lines.isEmpty()) return;
            List<String> header = parse(lines.get(0));
            for (String line : lines.subList(1, lines.size())) {
                if (line.isBlank()) continue;
                List<String> vals = parse(line);
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 0; i < header.size() && i < vals.size(); i++) row.put(header.get(i), vals.get(i));
                rows.add(row);
                done.add(cellOf(row).key());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String quote(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"").replace("\n", " ") + "\"" : s;
    }

    private static List<String> parse(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean q = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (q) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') { cur.append('"'); i++; }
                else if (ch == '"') q = false;
                else cur.append(ch);
            } else if (ch == '"') q = true;
            else if (ch == ',') { out.add(cur.toString()); cur.setLength(0); }
            else cur.append(ch);
        }
        out.add(cur.toString());
        return out;
    }

    /** Describes a sweep: its axes, seeds and results file. */
    public static final class Builder {
        private final String name;
        private final LinkedHashMap<String, List<Object>> axes = new LinkedHashMap<>();
        private long[] seeds = {0};
        private Path resultsFile;

        private Builder(String name) {
            if (name == null || !name.matches("[a-z0-9][a-z0-9-]*"))
                throw new IllegalArgumentException("sweep name must be lowercase letters, digits and dashes, got '" + name + "'");
            this.name = name;
        }

        /** Adds an axis with its values (numbers, booleans or strings). */
        public Builder axis(String axis, Object... values) {
            if (values.length == 0) throw new IllegalArgumentException("axis '" + axis + "' needs at least one value");
            if (axis.equals("seed") || axis.equals("status")) throw new IllegalArgumentException("'" + axis + "' is reserved");
            axes.put(axis, Arrays.asList(values));
            return this;
        }

        /** The seeds every setting is run with. */
        public Builder seeds(long... seeds) {
            if (seeds.length == 0) throw new IllegalArgumentException("seeds must not be empty");
            this.seeds = seeds.clone();
            return this;
        }

        /** Where results go (and are resumed from); default {@code <MEMLAB_OUT or out>/<name>.csv}. */
        public Builder resultsFile(Path file) {
            this.resultsFile = file;
            return this;
        }

        public Sweep build() {
            Path file = resultsFile != null ? resultsFile : memlab.core.Params.outDir().resolve(name + ".csv");
            return new Sweep(name, axes, seeds, file);
        }
    }
}
