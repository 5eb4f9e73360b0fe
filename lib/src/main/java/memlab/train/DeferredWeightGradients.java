package memlab.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The gradient of a weight that a recurrent pass applies at every time step, computed once per
 * sequence after the backward pass instead of once per step inside it.
 *
 * <p>For pre-activations {@code z_t = u_t W} (t = 1…T, W shared over time, one W per run),
 * backpropagation through time gives
 * <pre>
 *   ∂L/∂W = Σ_t u_tᵀ δ_t = Uᵀ Δ,    δ_t = ∂L/∂z_t,   U = [u_1; …; u_T],   Δ = [δ_1; …; δ_T]
 * </pre>
 * Autograd computes the sum term by term: each step's backward writes a gradient the size of W and
 * adds it to the running sum. For a batched sweep at batch 1 that is R·in·out values per step (11 MB
 * for the NTM recipe grid's controller), streamed through memory at every step, while the product
 * itself is tiny. Here the pass uses {@code stop_grad(W)} at each step and adds a zero {@link #leaf}
 * to the pre-activations, whose gradient after the backward pass is Δ; {@link #apply} then forms
 * Uᵀ Δ as one batched product and sends it back through the graph that made W (run reordering,
 * slicing) into the parameter's gradient. Same maths, W's gradient written once.
 *
 * <p>Measured on one core, interleaved in one process (median of 7): the 60-run grid of {@code bench ntm}
 * (batch 1, lengths 1–20) took 128 ms a step deferred against 147 ms step by step; at notebook 04's
 * batch of 8 (lengths 1–10) the two were even (177 and 174 ms), the per-step products being no longer
 * tiny there. A single run's W stays in cache, and the extra operations cost more than they save
 * (a 22-step toy recurrence at R = 1: 16 ms against 12), so a pass defers only weights whose
 * per-step gradient exceeds {@link #pays}'s threshold.
 *
 * <p>Usage: in the pass, for each deferred weight, a {@link #leaf} per stretch of steps and {@link #add}
 * with the stretch's inputs; after the backward pass (gradient recording off), {@link #apply}.
 */
public final class DeferredWeightGradients {
    /** Per-step gradient size above which deferring pays (about a core's cache; see {@link Optimizer#BLOCK_BYTES}). */
    public static final long MIN_BYTES = 1L << 20;

    private final long minBytes;
    // per weight (the array of the graph that the parameter's gradient flows back from): its stretches
    private final Map<NDArray, List<Stretch>> stretches = new IdentityHashMap<>();

    /** One stretch of steps: the k leading runs' inputs u_t of each step, and the leaf added to their z_t. */
    private record Stretch(List<NDArray> inputs, NDArray leaf, int timeAxis) {}

    /** Defers weights whose per-step gradient exceeds {@link #MIN_BYTES}. */
    public DeferredWeightGradients() { this(MIN_BYTES); }

    /** Defers weights whose per-step gradient exceeds {@code minBytes} (0: every weight; for tests). */
    public DeferredWeightGradients(long minBytes) {
        if (minBytes < 0) throw new IllegalArgumentException("minBytes must be >= 0, got " + minBytes);
        this.minBytes = minBytes;
    }

    /** Whether the weight {@code w} {@code (R, in, out)} is worth deferring: its per-step gradient is above the threshold. */
    public boolean pays(NDArray w) {
        return w.size() * w.getDataType().getNumOfBytes() > minBytes;
    }

    /**
     * A zero array that requires a gradient, to add to a stretch's pre-activations: after the
     * backward pass its gradient is their Δ.
     */
    public NDArray leaf(NDManager m, Shape shape, DataType type) {
        NDArray leaf = m.zeros(shape, type);
        leaf.setRequiresGradient(true);
        return leaf;
    }

    /**
     * Records a stretch of steps of the weight {@code w}: its first k runs' pre-activations
     * {@code z_t = u_t stop_grad(w[:k]) (+ …)} received {@code leaf}.
     *
     * @param w        the weight as the graph made it, {@code (R, in, out)}; the gradient goes back through it
     * @param inputs   the steps' {@code u_t}, each {@code (k, B, in)}, in time order
     * @param leaf     the stretch's {@link #leaf}; its gradient reshaped to {@code (k, −1, out)} must list the
     *                 pre-activations in the order of the inputs stacked on {@code timeAxis} and reshaped to
     *                 {@code (k, −1, in)}
     * @param timeAxis the axis the inputs are stacked on
     */
    public void add(NDArray w, List<NDArray> inputs, NDArray leaf, int timeAxis) {
        if (inputs.isEmpty()) throw new IllegalArgumentException("inputs must hold at least one step");
        stretches.computeIfAbsent(w, k -> new ArrayList<>()).add(new Stretch(List.copyOf(inputs), leaf, timeAxis));
    }

    /**
     * Adds {@code Uᵀ Δ} of every recorded weight to its parameter's gradient, through the graph
     * that made the weight. Call it once, after the backward pass that filled the leaves' gradients,
     * with gradient recording off.
     */
    public void apply() {
        try {
            applyAll();
        } finally {
            stretches.clear();      // a failed step leaves nothing for the next one
        }
    }

    private void applyAll() {
        for (Map.Entry<NDArray, List<Stretch>> e : stretches.entrySet()) {
            NDArray w = e.getKey();
            long runs = w.getShape().get(0), in = w.getShape().get(1), out = w.getShape().get(2);
            NDList us = new NDList(), ds = new NDList();
            for (Stretch s : e.getValue()) {
                NDArray u = NDArrays.stack(new NDList(s.inputs()), s.timeAxis());
                long k = u.getShape().get(0);
                u = u.reshape(k, -1, in);
                NDArray d = s.leaf().getGradient().reshape(k, -1, out);
                // runs that had ended before this stretch: zero rows, so one product serves all stretches
                us.add(padRuns(u, runs));
                ds.add(padRuns(d, runs));
            }
            NDArray u = us.size() == 1 ? us.get(0) : NDArrays.concat(us, 1);      // (R, Σ steps·B, in)
            NDArray d = ds.size() == 1 ? ds.get(0) : NDArrays.concat(ds, 1);      // (R, Σ steps·B, out)
            NDArray grad = u.transpose(0, 2, 1).batchMatMul(d);                    // (R, in, out) = Uᵀ Δ
            JniUtils.backward((PtNDArray) w, (PtNDArray) grad, false, false);
        }
    }

    private static NDArray padRuns(NDArray a, long runs) {
        long k = a.getShape().get(0);
        if (k == runs) return a;
        Shape s = a.getShape();
        return NDArrays.concat(new NDList(a, a.getManager().zeros(new Shape(runs - k, s.get(1), s.get(2)), a.getDataType())), 0);
    }
}
