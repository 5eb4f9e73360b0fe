package memlab.sweep;

import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A grid of settings × seeds, run cell by cell or in batches, into one results table.
 *
 * <p>Results are written to a {@link CheckedCsv} file as each cell (or batch of cells) finishes; run
 * the sweep again and the cells already finished in the file are skipped, so an interrupted sweep
 * resumes where it stopped. A row that is cut short or damaged is never a finished run: it is
 * reported (file and line) and its cell runs again. A cell that throws is recorded with
 * {@code status=error} and the sweep goes on; such a cell runs again on the next run (an error is
 * not a result). A diverged run is whatever the runner reports (normally {@code diverged=true}),
 * never an exception, and stays a result.
 *
 * <p>A row's identity (its axes and {@code seed}) and the sweep's own columns ({@code status},
 * {@code error}) cannot be overwritten by a result: a runner returning a result of that name is
 * refused. While a sweep runs it holds the {@link OutputLock} of its results file's folder, so a
 * second process writing there is refused with the name of the first.
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

    /** Columns the sweep writes itself; no axis or result may take these names. */
    static final Set<String> OWN = Set.of("seed", "status", "error", CheckedCsv.CHECK);
    private static final String ERROR = "error";

    private final String name;
    private final LinkedHashMap<String, List<Object>> axes;
    private final long[] seeds;
    private final Path resultsFile;
    private final List<Map<String, Object>> rows = new ArrayList<>();
    private String loadedStamp = "";

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

    /** Cells without a finished result in the results file (never run, or ended with an error). */
    public List<Cell> pending() {
        Set<String> finished = new HashSet<>();
        for (Map<String, Object> r : rows) if (!ERROR.equals(String.valueOf(r.get("status")))) finished.add(keyOf(r));
        return cells().stream().filter(c -> !finished.contains(c.key())).toList();
    }

    /** Runs every pending cell, one at a time. */
    public Table run(CellRunner runner) {
        try (OutputLock lock = lockAndRefresh()) {
            for (Cell c : pending()) {
                memlab.notebook.Interrupt.check();   // the kernel's stop button: finished runs stay saved
                Map<String, Object> result;
                try {
                    result = runner.run(c);
                } catch (Exception | Error e) {
                    if (e instanceof Error err && !(err instanceof AssertionError)) throw err;
                    put(c, errorResult(e));
                    save();
                    continue;
                }
                checkNames(result);
                put(c, result);
                save();
            }
        }
        return table();
    }

    /**
     * Runs every pending cell in batches of at most {@code maxBatch} cells that share the same
     * {@code compatible.apply(cell)} (e.g. the same model size), so a model can train them as one.
     */
    public Table runBatched(BatchRunner runner, int maxBatch, Function<Cell, Object> compatible) {
        memlab.core.Check.positive("maxBatch", maxBatch);
        try (OutputLock lock = lockAndRefresh()) {
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
                        batch.forEach(c -> put(c, err));
                        save();
                        continue;
                    }
                    results.forEach(this::checkNames);   // outside the try: a wrongly named result is the runner's bug, not a failed run
                    for (int j = 0; j < batch.size(); j++) put(batch.get(j), results.get(j));
                    save();
                }
            }
        }
        return table();
    }

    /** Runs every pending cell in batches of at most {@code maxBatch}. */
    public Table runBatched(BatchRunner runner, int maxBatch) {
        return runBatched(runner, maxBatch, c -> "all");
    }

    /**
     * The results of this sweep's cells so far (including those loaded from the results file), one
     * row per cell, errored cells included ({@code status=error}; see {@link #errors()}). Rows of
     * other cells that share the file (another grid, another one-valued setting) stay in the file
     * but are not returned.
     */
    public Table table() {
        List<Map<String, Object>> own = own();
        if (own.isEmpty()) return Table.create(name);
        return Table.read().csv(CsvReadOptions.builder(new java.io.StringReader(csv(own))).tableName(name).build());
    }

    /**
     * This sweep's cells that ended with an error, with what went wrong: columns = the axes,
     * {@code seed} and {@code error}; no rows when none did. They run again on the next
     * {@link #run}/{@link #runBatched}.
     */
    public Table errors() {
        List<String> cols = new ArrayList<>(axes.keySet());
        cols.add("seed");
        cols.add(ERROR);
        Table t = Table.create(name + "-errors");
        for (String c : cols) t.addColumns(StringColumn.create(c));
        for (Map<String, Object> r : own())
            if (ERROR.equals(String.valueOf(r.get("status"))))
                for (String c : cols) t.stringColumn(c).append(String.valueOf(r.getOrDefault(c, "")));
        return t;
    }

    /**
     * Throws a {@link FailedRunsException} if some of this sweep's cells ended with an error: how
     * many, with which errors, where they are recorded, and that the next run retries them. Call it
     * before analysing {@link #table()} when a failed run would leave the analysis without its data.
     *
     * @return this sweep, when every cell has a result
     */
    public Sweep requireNoErrors() {
        Table errors = errors();
        if (errors.rowCount() == 0) return this;
        Map<String, Long> byMessage = errors.stringColumn(ERROR).asList().stream()
                .collect(Collectors.groupingBy(m -> m.lines().findFirst().orElse(""), LinkedHashMap::new, Collectors.counting()));
        String what = byMessage.entrySet().stream().limit(3).map(e -> "'" + abbreviate(e.getKey()) + "' (" + e.getValue() + (e.getValue() == 1 ? " run)" : " runs)"))
                .collect(Collectors.joining("; ")) + (byMessage.size() > 3 ? "; and " + (byMessage.size() - 3) + " other errors" : "");
        throw new FailedRunsException("sweep " + name + ": " + errors.rowCount() + " of " + cells().size() + " runs ended with an error and have no results: "
                + what + ". They are recorded with status=error in " + resultsFile.toAbsolutePath() + " and run again the next time this sweep runs;"
                + " finished runs are kept.", errors);
    }

    /** The results file. */
    public Path resultsFile() {
        return resultsFile;
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    private List<Map<String, Object>> own() {
        Set<String> mine = new HashSet<>();
        for (Cell c : cells()) mine.add(c.key());
        return rows.stream().filter(r -> mine.contains(keyOf(r))).toList();
    }

    /** The key of the cell a result row belongs to (values as they were written: compared as text, see {@link Cell#key()}). */
    private String keyOf(Map<String, Object> row) {
        Map<String, Object> setting = new LinkedHashMap<>();
        for (String a : axes.keySet()) setting.put(a, row.get(a));
        return Cell.key(setting, row.get("seed"));
    }

    private static Map<String, Object> errorResult(Throwable e) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("status", ERROR);
        r.put(ERROR, e.getClass().getSimpleName() + ": " + Objects.toString(e.getMessage(), ""));
        return r;
    }

    /** Refuses results that would overwrite the row's identity or the sweep's own columns. */
    private void checkNames(Map<String, Object> result) {
        for (String k : result.keySet())
            if (k == null || axes.containsKey(k) || OWN.contains(k))
                throw new IllegalArgumentException("sweep " + name + ": the runner returned a result named '" + k + "', which would overwrite the run's identity"
                        + " or the sweep's own columns (axes " + axes.keySet() + ", and " + new java.util.TreeSet<>(OWN) + "); give that result another name,"
                        + " e.g. 'final_" + k + "'");
    }

    /** Puts the cell's row in place of an earlier row of the same cell (an errored run retried), else at the end. */
    private void put(Cell c, Map<String, Object> result) {
        Map<String, Object> row = new LinkedHashMap<>(c.settings());
        row.put("seed", c.seed());
        row.put("status", "ok");
        row.putAll(result);
        String key = c.key();
        for (int i = 0; i < rows.size(); i++)
            if (keyOf(rows.get(i)).equals(key)) {
                rows.set(i, row);
                return;
            }
        rows.add(row);
    }

    /** Header = every column of every row, in first-seen order; a row without a column leaves it empty. */
    private static List<String> header(List<Map<String, Object>> rows) {
        LinkedHashSet<String> header = new LinkedHashSet<>();
        rows.forEach(r -> header.addAll(r.keySet()));
        return new ArrayList<>(header);
    }

    private static List<List<String>> values(List<String> header, List<Map<String, Object>> rows) {
        return rows.stream().map(r -> header.stream().map(h -> r.containsKey(h) ? String.valueOf(r.get(h)) : "").toList()).toList();
    }

    private static String csv(List<Map<String, Object>> rows) {
        List<String> header = header(rows);
        StringBuilder sb = new StringBuilder(CheckedCsv.encode(header)).append('\n');
        for (List<String> v : values(header, rows)) sb.append(CheckedCsv.encode(v)).append('\n');
        return sb.toString();
    }

    private void save() {
        List<String> header = header(rows);
        CheckedCsv.write(resultsFile, header, values(header, rows));
        loadedStamp = stamp();
    }

    /** Takes the folder's lock, then reads the file again if another process changed it since it was read. */
    private OutputLock lockAndRefresh() {
        OutputLock lock = OutputLock.acquire(resultsFile.toAbsolutePath().getParent());
        try {
            if (!stamp().equals(loadedStamp)) {
                rows.clear();
                load();
            }
            return lock;
        } catch (RuntimeException | Error e) {
            lock.close();
            throw e;
        }
    }

    private String stamp() {
        try {
            return Files.exists(resultsFile) ? Files.getLastModifiedTime(resultsFile) + "/" + Files.size(resultsFile) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void load() {
        loadedStamp = stamp();
        CheckedCsv.Contents file = CheckedCsv.read(resultsFile);
        if (!file.damaged().isEmpty()) {
            Path kept = resultsFile.resolveSibling(resultsFile.getFileName() + ".damaged");
            try {
                Files.copy(resultsFile, kept, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (String d : file.damaged())
                System.err.println("sweep " + name + ": " + d + ": not a finished run, its cell runs again (the file as found is kept in " + kept + ")");
        }
        Set<String> mine = new HashSet<>();
        for (Cell c : cells()) mine.add(c.key());
        Map<String, Integer> at = new java.util.HashMap<>();
        for (CheckedCsv.Row r : file.rows()) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 0; i < file.header().size(); i++) row.put(file.header().get(i), r.values().get(i));
            String key = keyOf(row);
            Integer earlier = mine.contains(key) ? at.get(key) : null;
            if (earlier != null) rows.set(earlier, row);        // a cell written twice (e.g. by an older version): the later row wins
            else {
                if (mine.contains(key)) at.put(key, rows.size());
                rows.add(row);
            }
        }
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
            if (axis == null || axis.isBlank()) throw new IllegalArgumentException("axis name must not be empty, got '" + axis + "'");
            if (values.length == 0) throw new IllegalArgumentException("axis '" + axis + "' needs at least one value");
            if (OWN.contains(axis)) throw new IllegalArgumentException("axis name '" + axis + "' is reserved: the sweep writes " + new java.util.TreeSet<>(OWN) + " itself");
            if (axes.containsKey(axis)) throw new IllegalArgumentException("axis '" + axis + "' is given twice");
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
