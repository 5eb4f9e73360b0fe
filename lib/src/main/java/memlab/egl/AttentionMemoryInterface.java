package memlab.egl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import memlab.core.Check;
import memlab.memory.Addressing;
import memlab.memory.Memory;
import memlab.nn.Linear;
import memlab.train.ParamSet;

import java.util.ArrayList;
import java.util.List;

/**
 * The AttentionMemoryInterface of the EGL paper, for R runs at once.
 *
 * <p>Four linear maps: {@code write_net}, {@code write_query_net}, {@code read_query_net}
 * (input → memory width D) and {@code read_out_net} (D → input). With memory {@code M} of S slots
 * (drawn afresh for every batch; not a parameter), for t = 1..T:
 * <pre>
 *   write:  v_t = write_net(x_t),  w_t = softmax_S(M q_t) with q_t = write_query_net(x_t),
 *           M ← M ⊙ (1 − w_t 1ᵀ) + w_t v_tᵀ
 * </pre>
 * then, with the final memory, for t = 1..T:
 * <pre>
 *   read:   r_t = softmax_S(M q^r_t) with q^r_t = read_query_net(x_t),  o_t = Σ_j r_t[j] M[j],
 *           y_t = read_out_net(o_t)
 * </pre>
 * With the {@linkplain GradientLink gradient link} on, the gradient of {@code o_t} is also routed
 * to the memory written at step t; the forward pass is unchanged.
 */
public final class AttentionMemoryInterface {
    private final Linear writeNet, writeQueryNet, readQueryNet, readOutNet;
    private final int runs, input, memDim, slots;

    /** What one forward pass produced. Shapes use R runs, B sequences, T steps, S slots. */
    public record Pass(NDArray output, NDArray writeWeights, NDArray readWeights) {
        /** @return {@code y}, shape {@code (R, B, T, I)} */
        @Override public NDArray output() { return output; }
    }

    /**
     * @param params where the weights live (its run count is R)
     * @param input  input width I
     * @param memDim slot width D
     * @param slots  number of slots S
     * @param seeds  one initialisation seed per run
     */
    public AttentionMemoryInterface(ParamSet params, int input, int memDim, int slots, long[] seeds) {
        this.input = Check.positive("input", input);
        this.memDim = Check.positive("memDim", memDim);
        this.slots = Check.positive("slots", slots);
        this.runs = params.runs();
        if (seeds == null || seeds.length != runs)
            throw new IllegalArgumentException("seeds must have one entry per run (" + runs + "), got " + (seeds == null ? "null" : seeds.length));
        writeNet = new Linear(params, "write_net", input, memDim, seeds);
        writeQueryNet = new Linear(params, "write_query_net", input, memDim, seeds);
        readQueryNet = new Linear(params, "read_query_net", input, memDim, seeds);
        readOutNet = new Linear(params, "read_out_net", memDim, input, seeds);
    }

    /**
     * Writes the whole sequence, then reads it back.
     *
     * @param x         inputs {@code (R, B, T, I)}, R = the runs of the model's parameters
     * @param memory    initial memory {@code (R, B, S, D)}; every shape is checked, naming the argument
     * @param link      per-run gradient-link switch {@code (R)}, entries 0 or 1; null = off for all
     * @param readProbe optional zeros {@code (R, B, T, D)} added to the read outputs; if it requires
     *                  a gradient, that gradient is {@code ∂L/∂o_t} (used for the link-gradient norm)
     */
    public Pass forward(NDArray x, NDArray memory, NDArray link, NDArray readProbe) {
        Shape xs = x.getShape();
        if (xs.dimension() != 4 || xs.get(0) != runs || xs.get(3) != input || xs.get(1) < 1 || xs.get(2) < 1)
            throw new IllegalArgumentException("x must have shape (R, B, T, I) = (" + runs + ", B, T, " + input + ") with B, T >= 1, got " + xs);
        long r = xs.get(0), b = xs.get(1), t = xs.get(2);
        requireShape("memory", memory, "(R, B, S, D)", new Shape(r, b, slots, memDim));
        if (link != null) requireShape("link", link, "(R)", new Shape(r));
        if (readProbe != null) requireShape("readProbe", readProbe, "(R, B, T, D)", new Shape(r, b, t, memDim));
        long n = r * b;
        NDArray flat = x.reshape(r, b * t, input);
        NDArray values = writeNet.forward(flat).reshape(n, t, memDim);
        NDArray queries = writeQueryNet.forward(flat).reshape(n, t, memDim);
        NDArray readQueries = readQueryNet.forward(flat).reshape(n, t, memDim);
        NDList vs = values.split(t, 1), qs = queries.split(t, 1);

        NDArray m = memory.reshape(n, slots, memDim);
        List<NDArray> writes = new ArrayList<>((int) t), links = new ArrayList<>((int) t);
        for (int i = 0; i < t; i++) {
            NDArray w = Addressing.content(m, qs.get(i)).reshape(n, slots);
            m = Memory.write(m, w, vs.get(i).reshape(n, memDim));
            writes.add(w);
            if (link != null) links.add(GradientLink.term(m));
        }
        NDArray readWeights = Addressing.content(m, readQueries);       // (N, T, S)
        NDArray o = Memory.read(m, readWeights);                        // (N, T, D)
        if (link != null) {
            NDArray perSeq = link.reshape(r, 1, 1, 1).broadcast(r, b, 1, 1).reshape(n, 1, 1);
            o = o.add(NDArrays.stack(new NDList(links), 1).mul(perSeq));
        }
        if (readProbe != null) o = o.add(readProbe.reshape(n, t, memDim));
        NDArray y = readOutNet.forward(o.reshape(r, b * t, memDim)).reshape(r, b, t, input);
        return new Pass(y, NDArrays.stack(new NDList(writes), 1).reshape(r, b, t, slots), readWeights.reshape(r, b, t, slots));
    }

    private static void requireShape(String name, NDArray a, String symbols, Shape expected) {
        if (a == null) throw new IllegalArgumentException(name + " must not be null; expected shape " + symbols + " = " + expected);
        if (!a.getShape().equals(expected))
            throw new IllegalArgumentException(name + " must have shape " + symbols + " = " + expected + ", got " + a.getShape());
    }

    public int input() { return input; }

    public int memDim() { return memDim; }

    public int slots() { return slots; }
}
