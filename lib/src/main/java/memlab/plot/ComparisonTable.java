package memlab.plot;

import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A paper-vs-ours table as a figure: one row per configuration, the columns that name it, the
 * paper's outcome, ours, whether they agree, and optionally measured numbers; each row is tinted
 * by agreement (green: agree, red: differ, grey: not decided) and the agreement cell is coloured
 * strongly. Drawn by Plotly's table trace, so it is shown, saved and rendered like any figure.
 *
 * <pre>{@code
 * Plot t = ComparisonTable.of(configs, "paper", "ours").agree("agree")
 *         .rows("model", "updater", "recurrence").numbers("final_memory_accuracy", "diverged_share").plot();
 * Figure.of("eph-configs", t).title("Table 1: paper vs ours").show();
 * }</pre>
 */
public final class ComparisonTable {
    /** Row tints and agreement-cell colours: agree, differ, undecided. */
    static final String AGREE_TINT = "#e5f5e0", DIFFER_TINT = "#fde0dd", OPEN_TINT = "#f0f0f0";
    static final String AGREE = "#74c476", DIFFER = "#fb6a4a", OPEN = "#bdbdbd";
    /** Pixels per row, for the header, and around the table (title and margins). */
    static final int ROW_PX = 28, HEADER_PX = 34, FRAME_PX = 130;

    private final Table table;
    private final String paper;
    private final String ours;
    private String agree;
    private List<String> rows;
    private List<String> numbers = List.of();
    private String title;

    private ComparisonTable(Table table, String paper, String ours) {
        this.table = table;
        this.paper = paper;
        this.ours = ours;
        Columns.get(table, paper);
        Columns.get(table, ours);
    }

    /** A table of {@code table}'s rows comparing column {@code paper} (the paper's outcome) with {@code ours}. */
    public static ComparisonTable of(Table table, String paper, String ours) {
        return new ComparisonTable(table, paper, ours);
    }

    /**
     * The column saying whether the two agree ({@code true}/{@code false}, {@code yes}/{@code no};
     * anything else, e.g. {@code untestable}, counts as not decided). By default they agree when the
     * two outcomes are equal ignoring case.
     */
    public ComparisonTable agree(String column) {
        Columns.get(table, column);
        this.agree = column;
        return this;
    }

    /** The columns that name a configuration (default: the text columns other than the compared ones). */
    public ComparisonTable rows(String... columns) {
        for (String c : columns) Columns.get(table, c);
        this.rows = List.of(columns);
        return this;
    }

    /** Numeric columns shown after the verdicts, written by {@link Format}. */
    public ComparisonTable numbers(String... columns) {
        for (String c : columns) Columns.numeric(table, c);
        this.numbers = List.of(columns);
        return this;
    }

    /** The table's title. */
    public ComparisonTable title(String title) {
        this.title = title;
        return this;
    }

    /** Whether row {@code i} agrees: {@code TRUE}, {@code FALSE}, or {@code null} when not decided. */
    Boolean agrees(int i) {
        if (agree == null) {
            String p = table.getString(i, paper), o = table.getString(i, ours);
            return p.isBlank() || o.isBlank() ? null : p.strip().equalsIgnoreCase(o.strip());
        }
        return switch (table.getString(i, agree).strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "agree", "agrees", "1", "1.0" -> Boolean.TRUE;
            case "false", "no", "differ", "differs", "0", "0.0" -> Boolean.FALSE;
            default -> null;
        };
    }

    /** The table as a plot. */
    public Plot plot() {
        List<String> names = rows != null ? rows : table.columnNames().stream()
                .filter(c -> !c.equals(paper) && !c.equals(ours) && !c.equals(agree) && !(table.column(c) instanceof NumericColumn<?>)).toList();
        int n = table.rowCount();
        List<String> header = new ArrayList<>();
        List<List<String>> values = new ArrayList<>();
        List<List<String>> fills = new ArrayList<>();
        List<String> tint = new ArrayList<>(), strong = new ArrayList<>(), verdict = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Boolean a = agrees(i);
            tint.add(a == null ? OPEN_TINT : a ? AGREE_TINT : DIFFER_TINT);
            strong.add(a == null ? OPEN : a ? AGREE : DIFFER);
            verdict.add(a == null ? "—" : a ? "agree" : "differ");
        }
        for (String c : names) add(header, values, fills, Labels.of(c), text(table.column(c)), tint);
        add(header, values, fills, "paper", text(table.column(paper)), tint);
        add(header, values, fills, "ours", text(table.column(ours)), tint);
        add(header, values, fills, "paper vs ours", verdict, strong);
        for (String c : numbers) add(header, values, fills, Labels.of(c), text(table.column(c)), tint);
        // each column as wide as its longest cell (a header may take two lines), in shares of the table
        List<Integer> widths = new ArrayList<>();
        for (int c = 0; c < header.size(); c++) {
            int w = (header.get(c).length() + 1) / 2 + 2;   // a header may take two lines, but a word does not break
            for (String word : header.get(c).split(" ")) w = Math.max(w, word.length() + 2);
            for (String v : values.get(c)) w = Math.max(w, v.length() + 2);
            widths.add(w);
        }
        int total = widths.stream().mapToInt(Integer::intValue).sum();
        int headerLines = 1;
        for (int c = 0; c < header.size(); c++)   // characters of 13 px bold that fit the column at 1000 px
            headerLines = Math.max(headerLines, (int) Math.ceil(header.get(c).length() / Math.max(4.0, widths.get(c) * 900.0 / total / 8.0 - 2)));
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("type", "table");
        t.put("columnwidth", widths);
        t.put("header", Map.of("values", header.stream().map(h -> "<b>" + h + "</b>").toList(),
                "fill", Map.of("color", "#d9d9d9"), "align", "left", "height", HEADER_PX - 4 + 18 * (headerLines - 1), "font", Map.of("size", 13)));
        t.put("cells", Map.of("values", values, "fill", Map.of("color", fills), "align", "left", "height", ROW_PX - 4,
                "line", Map.of("color", "white", "width", 1), "font", Map.of("size", 13)));
        List<String> used = new ArrayList<>(names);
        used.addAll(List.of(paper, ours));
        if (agree != null) used.add(agree);
        used.addAll(numbers);
        return new Plot(title, List.of(t), Map.of(), Map.of(), used);
    }

    private static void add(List<String> header, List<List<String>> values, List<List<String>> fills, String name, List<String> cells, List<String> fill) {
        header.add(name);
        values.add(cells);
        fills.add(fill);
    }

    private static List<String> text(Column<?> c) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < c.size(); i++) out.add(c instanceof NumericColumn<?> num ? Format.number(num.getDouble(i)) : Format.label(c.getString(i)));
        return out;
    }

    /** Height in pixels a figure of {@code table} needs for its header and all its rows. */
    static int height(Plot table) {
        int rows = 0, header = HEADER_PX;
        for (Map<String, Object> t : table.traces()) {
            if (t.get("cells") instanceof Map<?, ?> cells && cells.get("values") instanceof List<?> cols && !cols.isEmpty()
                    && cols.getFirst() instanceof List<?> first) rows = Math.max(rows, first.size());
            if (t.get("header") instanceof Map<?, ?> h && h.get("height") instanceof Number px) header = Math.max(header, px.intValue() + 4);
        }
        return FRAME_PX + header + ROW_PX * rows;
    }
}
