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

    /** A stable text key identifying the cell in a results file. */
    public String key() {
        return settings.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","))
                + ",seed=" + seed;
    }
}
