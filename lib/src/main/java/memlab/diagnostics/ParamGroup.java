package memlab.diagnostics;

import java.util.ArrayList;
import java.util.List;

/**
 * A named group of parameters (e.g. the memory path's "key" or the "controller"), as slices of the
 * last dimension of named parameters: a model that packs several quantities into one matrix (the
 * NTM's head projection) names each quantity's columns.
 *
 * @param name   group name
 * @param slices the parameter slices
 */
public record ParamGroup(String name, List<Slice> slices) {
    /** Columns {@code [from, to)} of the last dimension of parameter {@code param}; {@code to = -1}: to the end. */
    public record Slice(String param, int from, int to) {
        public Slice {
            if (from < 0 || (to != -1 && to <= from))
                throw new IllegalArgumentException("slice of '" + param + "' must have 0 <= from < to (or to = -1), got [" + from + ", " + to + ")");
        }

        /** The whole parameter. */
        public static Slice whole(String param) { return new Slice(param, 0, -1); }
    }

    public ParamGroup {
        if (slices.isEmpty()) throw new IllegalArgumentException("group '" + name + "' has no slices");
        slices = List.copyOf(slices);
    }

    /** A group of whole parameters. */
    public static ParamGroup of(String name, String... params) {
        List<Slice> s = new ArrayList<>();
        for (String p : params) s.add(Slice.whole(p));
        return new ParamGroup(name, s);
    }
}
