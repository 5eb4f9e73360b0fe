package memlab.plot;

import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reading table columns the way the charts need them. */
final class Columns {
    private Columns() {}

    /** The column {@code name} of {@code t}, or a clear error naming the columns it has. */
    static Column<?> get(Table t, String name) {
        if (!t.columnNames().contains(name))
            throw new IllegalArgumentException("table '" + t.name() + "' has no column '" + name + "'; it has " + t.columnNames());
        return t.column(name);
    }

    /** The numeric column {@code name} of {@code t}. */
    static NumericColumn<?> numeric(Table t, String name) {
        if (get(t, name) instanceof NumericColumn<?> n) return n;
        throw new IllegalArgumentException("column '" + name + "' of table '" + t.name() + "' must be numeric, it is " + t.column(name).type());
    }

    /**
     * The distinct values of a column as labels, in display order: ascending for a numeric column,
     * first appearance otherwise.
     */
    static List<String> levels(Column<?> c) {
        Map<String, Double> seen = new LinkedHashMap<>();
        for (int i = 0; i < c.size(); i++) {
            String label = c.getString(i);
            if (!seen.containsKey(label)) seen.put(label, c instanceof NumericColumn<?> n ? n.getDouble(i) : (double) seen.size());
        }
        List<String> out = new ArrayList<>(seen.keySet());
        out.sort(Comparator.comparingDouble(seen::get));
        return out;
    }
}
