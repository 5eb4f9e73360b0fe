package memlab.sweep;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * One cell of a sweep: a setting of every axis, and a seed.
 *
 * @param settings axis name → value, in axis order
 * @param seed     the run's seed
 */
public record Cell(Map<String, Object> settings, long seed) {
    /** The value of axis {@code name}. */
    public Object get(String name) {
        if (!settings.containsKey(name)) throw new IllegalArgumentException("no axis '" + name + "'; axes are " + settings.keySet());
        return settings.get(name);
    }

    /** The value of axis {@code name} as a double. */
    public double getDouble(String name) {
        return ((Number) get(name)).doubleValue();
    }

    /** The value of axis {@code name} as a boolean. */
    public boolean getBoolean(String name) {
        Object v = get(name);
        return v instanceof Boolean b ? b : Boolean.parseBoolean(String.valueOf(v));
    }

    /**
     * A stable text key identifying the cell in a results file: {@code axis=value,…,seed=s}, values
     * compared as text, with a backslash, comma or equals sign in a value escaped by a backslash so
     * that two different cells never share a key.
     */
    public String key() {
        return key(settings, seed);
    }

    /** The key of the cell with these settings (axis → value, in axis order) and seed, values as text. */
    static String key(Map<String, ?> settings, Object seed) {
        return settings.entrySet().stream().map(e -> e.getKey() + "=" + escape(String.valueOf(e.getValue()))).collect(Collectors.joining(","))
                + ",seed=" + escape(String.valueOf(seed));
    }

    private static String escape(String v) {
        return v.replace("\\", "\\\\").replace(",", "\\,").replace("=", "\\=");
    }
}
