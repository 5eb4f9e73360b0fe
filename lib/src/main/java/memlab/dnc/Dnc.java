package memlab.dnc;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import memlab.memory.Addressing;
import memlab.memory.Memory;
import memlab.nn.Linear;
import memlab.ntm.Controller;
import memlab.train.ParamSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Differentiable Neural Computer (Graves et al. 2016, "Hybrid computing using a neural network with
 * dynamic external memory") for R runs at once: every parameter carries a leading run dimension
 * ({@link ParamSet}), as in {@link memlab.ntm.Ntm}.
 *
 * <p>Per step t, for each of the B sequences of each run, from the previous reads {@code r_{t−1}},
 * memory {@code M_{t−1}}, usage {@code u_{t−1}}, precedence {@code p_{t−1}}, links {@code L_{t−1}},
 * read and write weightings {@code w_{t−1}^r}, {@code w_{t−1}^w} (all zero at t = 0):
 * <pre>
 *   h_t   = controller(x_t, r_{t−1})                                   ({@link Controller}, the NTM's)
 *   ξ_t   = W_ξ h_t + b_ξ                                              ({@link Interface})
 *   u_t   = (u + w^w − u ⊙ w^w) ⊙ Π_i (1 − f^i w^{r,i})                 ({@link Usage})
 *   w_t^w = g^w [g^a a(u_t) + (1 − g^a) C(M_{t−1}, k^w, β^w)]           ({@link Allocation}, {@link WriteWeighting})
 *   M_t   = M_{t−1} ⊙ (1 − w^w eᵀ) + w^w vᵀ                             ({@link Memory#writeOne})
 *   L_t, p_t from w_t^w and p_{t−1}                                    ({@link LinkMatrix}, {@link Precedence})
 *   w_t^{r,i} = π^i[1] L_tᵀ w^{r,i} + π^i[2] C(M_t, k^{r,i}, β^{r,i}) + π^i[3] L_t w^{r,i}   ({@link ReadModes})
 *   r_t   = [M_tᵀ w_t^{r,1}; …]
 *   y_t   = W_y [h_t; r_t] + b_y                                       (the paper's v_t + W_r r_t)
 * </pre>
 * {@code C} is the cosine content weighting {@link Addressing#cosine}; the read at step t and the
 * write at step t + 1 look up the same memory {@code M_t}, so its {@link Addressing.Slots} are made once.
 * The memory starts at zero.
 *
 * <p>Speed: a DJL operation that makes a new array costs several µs of Java bookkeeping on top of the
 * kernel (the array object, its registration in the manager, its closing), an in-place one almost none.
 * So the step adds, subtracts and negates in place where the operand is a fresh intermediate that
 * nothing else holds and whose producer's gradient does not need its value (products keep their
 * inputs, not their result); autograd checks the rest (a saved array changed in place fails the
 * backward pass loudly). And each time step runs in an {@link NDScope} that closes its temporaries at its
 * end, as Python frees them when their last name goes (autograd holds its own reference to what the
 * backward pass needs), instead of all of them when the training step's manager closes: 3–4 % off a
 * training step at batch 1 and 16 (alternated in one process), from freeing memory while it is still
 * in cache and from a manager map that stays small. One rule comes with it (here and in the NTM's and
 * the encoder–decoder's steps): an array made inside the step from host numbers reads a Java buffer
 * that DJL lets go when the array closes, so one the backward pass needs must be an engine copy
 * ({@link memlab.attention.HardAttention#choose}) or be made before the step.
 *
 * <p>Parameters: {@code controller.weight} rows ordered {@code [x; r; h]} (h only for the LSTM),
 * {@code interface.weight} columns in {@link Interface}'s order, {@code output.weight} rows {@code [h; r]}.
 * The forward pass takes the weights as a map, so tests can run the same maths in float64 on copies.
 */
public final class Dnc {
    private final DncConfig c;
    private final ParamSet params;

    /**
     * What one forward pass produced. Shapes: R runs, B sequences, T steps, S slots, H read heads.
     *
     * @param logits       output logits {@code (R, B, T, O)}
     * @param readWeights  {@code w_t^r} {@code (R, B, T, H, S)}
     * @param writeWeights {@code w_t^w} {@code (R, B, T, S)}
     * @param usage        {@code u_t} {@code (R, B, T, S)}
     * @param readModes    {@code π_t} {@code (R, B, T, H, 3)}
     * @param links        {@code L_T} after the last step {@code (R, B, S, S)}
     * @param memory       {@code M_T} after the last step {@code (R, B, S, D)}
     */
    public record Pass(NDArray logits, NDArray readWeights, NDArray writeWeights, NDArray usage, NDArray readModes,
                       NDArray links, NDArray memory) {}

    /**
     * @param params where the weights live (its run count is R)
     * @param config sizes and wiring
     * @param seeds  initialisation seed of each run
     */
    public Dnc(ParamSet params, DncConfig config, long[] seeds) {
        if (config == null) throw new IllegalArgumentException("config must not be null");
        if (seeds.length != params.runs())
            throw new IllegalArgumentException("need one seed per run: " + params.runs() + " runs, " + seeds.length + " seeds");
        this.c = config;
        this.params = params;
        Controller ctl = c.controller();
        new Linear(params, "controller", c.input() + c.readWidth() + ctl.stateWidth(c.controllerSize()), ctl.gateWidth(c.controllerSize()), seeds);
        new Linear(params, "interface", c.controllerSize(), c.interfaceWidth(), seeds);
        new Linear(params, "output", c.controllerSize() + c.readWidth(), c.output(), seeds);
    }

    /** Runs the sequences {@code x} {@code (R, B, T, I)} with the model's own parameters. */
    public Pass forward(NDArray x) {
        return forward(params.all(), x);
    }

    /**
     * Runs the sequences {@code x} {@code (R, B, T, I)} with the weights {@code w} (same names and shapes
     * as the parameters; any floating type, matching {@code x}).
     */
    public Pass forward(Map<String, NDArray> w, NDArray x) {
        Shape xs = x.getShape();
        if (xs.dimension() != 4) throw new IllegalArgumentException("x must have shape (runs, batch, steps, input), got " + xs);
        int runs = (int) xs.get(0), b = (int) xs.get(1), steps = (int) xs.get(2);
        if (runs != params.runs()) throw new IllegalArgumentException("x has " + runs + " runs, the model " + params.runs());
        if (xs.get(3) != c.input()) throw new IllegalArgumentException("x has width " + xs.get(3) + ", the model's input is " + c.input());
        NDManager m = x.getManager();
        DataType type = x.getDataType();
        int n = runs * b, hid = c.controllerSize(), slots = c.slots(), heads = c.readHeads();
        Controller ctl = c.controller();

        NDArray ctlW = w.get("controller.weight");
        NDList rows = ctlW.split(new long[]{c.input()}, 1);                  // a split: cheaper than two index slices in DJL
        NDArray wx = rows.get(0), wState = rows.get(1);                        // (R, I, G), (R, [r; h], G)
        NDList xg = x.reshape(runs, b * steps, c.input()).batchMatMul(wx).add(w.get("controller.bias"))
                .reshape(runs, b, -1).split(steps, 2);                          // x_t W_x + b, every step at once, (R, B, G) each
        NDArray ifW = w.get("interface.weight"), ifB = w.get("interface.bias");

        NDArray mem = m.zeros(new Shape(n, slots, c.width()), type);
        Addressing.Slots memSlots = Addressing.Slots.of(mem);
        NDArray usage = m.zeros(new Shape(n, 1, slots), type), precedence = usage, writeW = usage;   // rows (SlotLayout)
        NDArray links = m.zeros(new Shape(n, slots, slots), type);
        NDArray readW = m.zeros(new Shape(n, heads, slots), type);
        NDArray h = m.zeros(new Shape(runs, b, hid), type), cell = h;
        NDArray reads = m.zeros(new Shape(runs, b, c.readWidth()), type);
        Allocation.Constants order = Allocation.constants(m, n, slots, type);
        NDArray offDiagonal = LinkMatrix.offDiagonal(m, slots, type); // constants of the pass

        List<NDArray> hs = new ArrayList<>(steps), rs = new ArrayList<>(steps), readWs = new ArrayList<>(steps),
                writeWs = new ArrayList<>(steps), usages = new ArrayList<>(steps), modes = new ArrayList<>(steps);
        for (int t = 0; t < steps; t++) {
            // the step's temporaries are closed at its end, as Python frees them when their last name goes
            // (autograd keeps what the backward pass needs); only the state and the recorded weightings stay
            try (NDScope scope = new NDScope()) {
                NDArray state = ctl == Controller.LSTM ? NDArrays.concat(new NDList(reads, h), 2) : reads;
                NDList hc = ctl.step(state.batchMatMul(wState).addi(xg.get(t)), cell);
                h = hc.get(0);
                cell = hc.get(1);
                Interface in = Interface.of(h.batchMatMul(ifW).addi(ifB).reshape(n, 1, -1), c);

                usage = Usage.next(usage, writeW, Usage.retention(in.freeGates(), readW));
                NDArray content = Addressing.cosine(memSlots, in.writeKey(), in.writeStrength());
                writeW = WriteWeighting.weights(Allocation.weights(usage, order), content, in.allocationGate(), in.writeGate());
                NDArray writeColumn = SlotLayout.column(writeW);                                    // (N, S, 1): rows of M, index i of L
                mem = Memory.writeOne(mem, writeColumn, in.erase(), in.writeVector());
                memSlots = Addressing.Slots.of(mem);
                links = LinkMatrix.next(links, precedence, writeW, writeColumn, offDiagonal);
                precedence = Precedence.next(precedence, writeW);
                readW = ReadModes.mix(in.readModes(), LinkMatrix.backward(links, readW),
                        Addressing.cosine(memSlots, in.readKeys(), in.readStrengths()), LinkMatrix.forward(links, readW));
                reads = Memory.read(mem, readW).reshape(runs, b, c.readWidth());

                hs.add(h);
                rs.add(reads);
                readWs.add(readW);
                writeWs.add(writeW);
                usages.add(usage);
                modes.add(in.readModes());
                NDScope.unregister(h, cell, mem, memSlots.transposed(), memSlots.norms(), usage, writeW, links, precedence, readW, reads, in.readModes());
            }
        }
        NDArray features = NDArrays.concat(new NDList(NDArrays.stack(new NDList(hs), 2), NDArrays.stack(new NDList(rs), 2)), 3);
        NDArray logits = features.reshape(runs, b * steps, -1).batchMatMul(w.get("output.weight")).add(w.get("output.bias"))
                .reshape(runs, b, steps, c.output());
        return new Pass(logits,
                NDArrays.stack(new NDList(readWs), 1).reshape(runs, b, steps, heads, slots),
                NDArrays.stack(new NDList(writeWs), 1).reshape(runs, b, steps, slots),
                NDArrays.stack(new NDList(usages), 1).reshape(runs, b, steps, slots),
                NDArrays.stack(new NDList(modes), 1).reshape(runs, b, steps, heads, 3),
                links.reshape(runs, b, slots, slots), mem.reshape(runs, b, slots, c.width()));
    }

    /** The sizes and wiring. */
    public DncConfig config() { return c; }

    /** The parameters. */
    public ParamSet params() { return params; }
}
