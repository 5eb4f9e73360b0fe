package memlab.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Runs of a batched sweep that need different numbers of time steps, packed so that a recurrent
 * pass computes each run only for its own steps (the idea of PyTorch's {@code PackedSequence}).
 *
 * <p>The runs are put in order of decreasing length {@code T_r} (ties keep their order), so the runs
 * still going at step t are a prefix of {@code k_t = |{r : T_r > t}|} runs: the pass slices its state
 * to that prefix as runs end, and every time step costs in proportion to the runs it really computes,
 * instead of all R runs at the longest length (padding). Each run's numbers are those of the run
 * alone: runs never mix, and a run's steps past its own end were masked out of every cost anyway.
 *
 * <p>Steps past a run's end are not computed: joined per-step results are zero there (see
 * {@link #join}). With equal lengths nothing is reordered and the pass is the unpacked one.
 */
public final class RunPacking {
    private final int runs, steps;
    private final int[] order, back;  // packed position → run, and run → packed position
    private final int[] active;       // per step t: runs still going (a prefix of the packed order)
    private final boolean reordered;

    /**
     * @param lengths time steps each run needs, each in {@code [1, steps]}
     * @param steps   time steps of the pass (at least the longest length)
     */
    public RunPacking(int[] lengths, int steps) {
        memlab.core.Check.positive("steps", steps);
        if (lengths.length == 0) throw new IllegalArgumentException("lengths must name at least one run");
        for (int l : lengths)
            if (l < 1 || l > steps) throw new IllegalArgumentException("each length must be in [1, " + steps + "], got " + l);
        runs = lengths.length;
        this.steps = steps;
        Integer[] byLength = new Integer[runs];
        for (int r = 0; r < runs; r++) byLength[r] = r;
        Arrays.sort(byLength, (a, b) -> Integer.compare(lengths[b], lengths[a]));   // stable: ties keep their order
        order = new int[runs];
        boolean moved = false;
        for (int i = 0; i < runs; i++) {
            order[i] = byLength[i];
            moved |= order[i] != i;
        }
        reordered = moved;
        back = new int[runs];
        for (int i = 0; i < runs; i++) back[order[i]] = i;
        active = new int[steps];
        for (int t = 0; t < steps; t++)
            for (int l : lengths) if (l > t) active[t]++;
    }

    /** Every run for all {@code steps}: no reordering, no slicing. */
    public static RunPacking none(int runs, int steps) {
        int[] all = new int[runs];
        Arrays.fill(all, steps);
        return new RunPacking(all, steps);
    }

    /** Runs still going at step {@code t}: the first {@code active(t)} of the packed order. */
    public int active(int t) { return active[t]; }

    /** Whether fewer runs go on at step {@code t} than at step {@code t − 1} (state must be sliced). */
    public boolean shrinksAt(int t) { return t > 0 && active[t] < active[t - 1]; }

    /** The end (exclusive) of the segment starting at step {@code from}: the steps after it with the same runs going. */
    public int segmentEnd(int from) {
        int to = from + 1;
        while (to < steps && active[to] == active[from]) to++;
        return to;
    }

    /**
     * Puts the runs (the leading dimension, R) in packed order: {@code out[i] = a[order[i]]}.
     * Gradients flow back to the caller's order.
     */
    public NDArray pack(NDArray a) {
        return reordered ? reorder(a, order) : a;
    }

    /** The inverse of {@link #pack}: results in packed order back in the caller's run order. */
    public NDArray unpack(NDArray a) {
        return reordered ? reorder(a, back) : a;
    }

    /** {@code out[i] = a[rows[i]]} along the leading dimension, as a row lookup (its backward adds, not sorts). */
    private static NDArray reorder(NDArray a, int[] rows) {
        Shape s = a.getShape();
        NDArray index = a.getManager().create(Arrays.stream(rows).mapToLong(i -> i).toArray());
        return memlab.core.Rows.of(a.reshape(s.get(0), -1), index).reshape(s);
    }

    /**
     * Joins per-step results into one array over all R runs and steps, in the caller's run order,
     * with zeros where a run had ended.
     *
     * @param segment  {@code (from, to)} → the steps {@code [from, to)} of the runs active there (a
     *                 stretch where that count does not change), in packed order, with the runs as
     *                 leading dimension and time on axis {@code timeAxis}
     * @param timeAxis the time axis of the segments and of the result
     */
    public NDArray join(BiFunction<Integer, Integer, NDArray> segment, int timeAxis) {
        List<NDArray> parts = new ArrayList<>();
        for (int from = 0; from < steps; ) {
            int to = segmentEnd(from);
            NDArray part = segment.apply(from, to);
            int k = active[from];
            if (k < runs) {
                Shape s = part.getShape();
                long[] rest = s.getShape().clone();
                rest[0] = runs - k;
                part = NDArrays.concat(new NDList(part, part.getManager().zeros(new Shape(rest), part.getDataType())), 0);
            }
            parts.add(part);
            from = to;
        }
        NDArray all = parts.size() == 1 ? parts.get(0) : NDArrays.concat(new NDList(parts), timeAxis);
        return unpack(all);
    }
}
