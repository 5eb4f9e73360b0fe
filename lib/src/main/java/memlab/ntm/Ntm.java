package memlab.ntm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import memlab.core.Seeds;
import memlab.egl.GradientLink;
import memlab.memory.Memory;
import memlab.nn.Linear;
import memlab.train.DeferredWeightGradients;
import memlab.train.ParamSet;
import memlab.train.RunPacking;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A Neural Turing Machine (Graves, Wayne, Danihelka 2014, "Neural Turing Machines") for R runs at
 * once: every parameter carries a leading run dimension ({@link ParamSet}), so a sweep over seeds,
 * memory initialisations and optimiser settings trains as one batched model.
 *
 * <p>Per step t, for each of the B sequences of each run, with reads {@code r_{t−1}} of the
 * previous step ({@code r_0 = 0}) and memory {@code M_{t−1}}:
 * <pre>
 *   h_t      = controller(x_t, r_{t−1})                                  ({@link Controller})
 *   ĥ_t      = W_heads h_t + b_heads                     raw head parameters, read heads first
 *   w_t^{(h)} = address(ĥ_t^{(h)}, M_{t−1}, w_{t−1}^{(h)})  for every head   ({@link HeadAddressing})
 *   r_t      = [w_t^{(1)} M_{t−1}; …]                    reads (eq. 2), before this step's write
 *   M_t      = M_{t−1} ⊙ Π_h (1 − w_t^{(h)} e_hᵀ) + Σ_h w_t^{(h)} a_hᵀ   e = σ(ê), a = tanh(â)  (eq. 3–4)
 *              (one write head: M_{t−1} + w_t (a − e ⊙ M_{t−1}), {@link Memory#writeOne})
 *   y_t      = W_out [h_t; r_t] + b_out                  logits; [r_t] alone without the bypass
 * </pre>
 * Every head starts focused on slot 0 ({@code w_0} one-hot), so location addressing is defined
 * from the first step. The memory starts as {@link MemoryInit} says, per run.
 *
 * <p><b>Gradient link</b> ({@link NtmConfig#gradientLink()}; Masuda 2025, retrofitted here as that
 * paper's future work). "The memory written at step t" is {@code M_t} above: the output of step t's
 * whole erase-then-add write (all write heads' erase, then all adds), the tensor the paper's
 * {@code WriteFunctionGradLink} returns as {@code memory_out} and whose incoming gradient it augments.
 * Not the erased-only {@code M̃_t} (that would skip the add vectors) and not the add term alone (that
 * would skip the erase vectors and everything before step t); from {@code M_t} the extra gradient
 * reaches the write weightings, {@code e}, {@code a}, and through {@code (1 − w e)} the earlier memory,
 * exactly as a real read of {@code M_t} would. With {@code G_t^{(k)} = ∂L/∂r_t^{(k)}}, the gradient
 * arriving at read head k's output of step t (which read {@code M_{t−1}}, before this step's write;
 * the paper's ID token t pairs read t with write t), the rule is, for every slot j,
 * <pre>  ∇_{M_t[j]} L_total = ∇_{M_t[j]} L_standard + Σ_k G_t^{(k)}</pre>
 * realised with {@link GradientLink#term}: each read head's output becomes
 * {@code r_t^{(k)} + Σ_j (M_t[j] − stop_grad(M_t[j]))}, exactly {@code r_t^{(k)}} in value, so the
 * forward pass, outputs and cost are those without the link, bit for bit. Since reads feed the next
 * controller step, {@code G_t} includes what later links send back through it, as the paper's hook
 * on the read output would collect in one backward pass.
 *
 * <p>Parameters: {@code controller.weight} rows ordered {@code [x; r; h]} (h only for the LSTM),
 * {@code heads.weight} columns ordered {@code [addressing of each head (key, β, g, shift, γ);
 * erase and add of each write head]}, {@code output.weight}, and {@code memory.init} if a run
 * learns its initial memory. {@link #parameterGroups} names the column slices of each quantity.
 *
 * <p>The forward pass takes the weights as a map, so tests can run the same maths in float64 on
 * copies; training uses {@link #forward(NDArray, boolean)}.
 */
public final class Ntm {
    private final NtmConfig c;
    private final ParamSet params;
    private final MemoryInit[] init;
    // kept on the host and created in each pass's manager, so no pass result lands in a long-lived manager
    private final float[] fixedMemory;   // (R, S, D): constant or random start (unused by learned runs)
    private final boolean[] learned;     // per run; null when no run learns its memory
    private final HeadAddressing addressing;

    /** What one forward pass produced. Shapes: R runs, B sequences, T steps, S slots. */
    public record Pass(NDArray logits, NDArray readWeights, NDArray writeWeights, NDArray reads, NDArray memory) {
        /** @return output logits {@code (R, B, T, O)} */
        @Override public NDArray logits() { return logits; }
        /** @return read weightings {@code (R, B, T, readHeads, S)} */
        @Override public NDArray readWeights() { return readWeights; }
        /** @return write weightings {@code (R, B, T, writeHeads, S)} */
        @Override public NDArray writeWeights() { return writeWeights; }
        /** @return reads as the model used them (zeros when ablated) {@code (R, B, T, readHeads·D)} */
        @Override public NDArray reads() { return reads; }
        /** @return memory after the last step {@code (R, B, S, D)} */
        @Override public NDArray memory() { return memory; }
    }

    /**
     * @param params where the weights live (its run count is R)
     * @param config sizes and wiring
     * @param init   memory initialisation of each run
     * @param seeds  initialisation seed of each run
     */
    public Ntm(ParamSet params, NtmConfig config, MemoryInit[] init, long[] seeds) {
        int runs = params.runs();
        if (seeds.length != runs || init.length != runs)
            throw new IllegalArgumentException("need one seed and one memoryInit per run: " + runs + " runs, " + seeds.length + " seeds, " + init.length + " memoryInit");
        for (MemoryInit m : init) if (m == null) throw new IllegalArgumentException("memoryInit must be one of [constant, random, learned], got null");
        this.c = config;
        this.params = params;
        this.init = init.clone();
        int ctlIn = c.input() + c.readWidth() + c.controller().stateWidth(c.controllerSize());
        new Linear(params, "controller", ctlIn, c.controller().gateWidth(c.controllerSize()), seeds);
        new Linear(params, "heads", c.controllerSize(), c.heads() * c.addressingWidth() + c.writeHeads() * 2 * c.width(), seeds);
        new Linear(params, "output", (c.bypass() ? c.controllerSize() : 0) + c.readWidth(), c.output(), seeds);
        int sd = c.slots() * c.width();
        double sigma = 1 / Math.sqrt(c.slots() + c.width());
        float[] fixed = new float[runs * sd];
        boolean[] learns = new boolean[runs];
        for (int r = 0; r < runs; r++) {
            float[] one = this.init[r] == MemoryInit.CONSTANT ? constant(sd) : Seeds.uniform(Seeds.stream(seeds[r], "ntm-memory"), new float[sd], sigma);
            System.arraycopy(one, 0, fixed, r * sd, sd);
            learns[r] = this.init[r] == MemoryInit.LEARNED;
        }
        fixedMemory = fixed;
        boolean anyLearned = false;
        for (boolean l : learns) anyLearned |= l;
        if (anyLearned)
            params.add("memory.init", new Shape(c.slots(), c.width()), r -> Seeds.uniform(Seeds.stream(seeds[r], "ntm-memory"), new float[sd], sigma));
        learned = anyLearned ? learns : null;
        addressing = new HeadAddressing(c);
    }

    private static float[] constant(int n) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, (float) MemoryInit.CONSTANT_VALUE);
        return a;
    }

    /** Runs the sequences {@code x} {@code (R, B, T, I)} with the model's own parameters. */
    public Pass forward(NDArray x, boolean readsZeroed) {
        return forward(params.all(), x, readsZeroed, null);
    }

    /** Runs the sequences {@code x} with the model's own parameters, run r for its first {@code own[r]} steps only (see {@link #forward(Map, NDArray, boolean, int[])}). */
    public Pass forward(NDArray x, boolean readsZeroed, int[] own) {
        return forward(params.all(), x, readsZeroed, own);
    }

    /**
     * Runs the sequences {@code x} {@code (R, B, T, I)} with the weights {@code w} (same names and
     * shapes as the parameters; any floating type, matching {@code x}).
     *
     * @param readsZeroed ablation: replace every read by zeros wherever it is used (controller input
     *                    and output); addressing and writing go on unchanged
     */
    public Pass forward(Map<String, NDArray> w, NDArray x, boolean readsZeroed) {
        return forward(w, x, readsZeroed, null);
    }

    /**
     * As {@link #forward(Map, NDArray, boolean)}, computing run r only for its first {@code own[r]}
     * time steps ({@link RunPacking}): a batched sweep then costs the runs' own steps, not every run
     * at the longest length. Past a run's own steps its reads, controller outputs and weightings are
     * zero (its logits there are the output bias) and its memory is the one after its own last step;
     * its own steps are exactly those of the full pass.
     *
     * @param own time steps each run needs, each in {@code [1, T]}; {@code null}: all T for every run
     */
    public Pass forward(Map<String, NDArray> w, NDArray x, boolean readsZeroed, int[] own) {
        return forward(w, x, readsZeroed, own, null);
    }

    /**
     * As {@link #forward(Map, NDArray, boolean, int[])}, with the per-step products of the controller's
     * state rows and of the heads' weights taking their weight gradients through {@code deferred}
     * where it {@linkplain DeferredWeightGradients#pays pays} (wide batched sweeps): the caller must then
     * call {@link DeferredWeightGradients#apply} after the backward pass. Same gradients.
     *
     * @param deferred {@code null}: every gradient through autograd, step by step
     */
    public Pass forward(Map<String, NDArray> w, NDArray x, boolean readsZeroed, int[] own, DeferredWeightGradients deferred) {
        Shape xs = x.getShape();
        int runs = (int) xs.get(0), b = (int) xs.get(1), steps = (int) xs.get(2);
        if (runs != params.runs()) throw new IllegalArgumentException("x has " + runs + " runs, the model " + params.runs());
        if (xs.get(3) != c.input()) throw new IllegalArgumentException("x has width " + xs.get(3) + ", the model's input is " + c.input());
        if (own != null && own.length != runs) throw new IllegalArgumentException("need one length per run: " + runs + " runs, " + own.length + " lengths");
        RunPacking packing = own == null ? RunPacking.none(runs, steps) : new RunPacking(own, steps);
        NDManager m = x.getManager();
        DataType type = x.getDataType();
        int hid = c.controllerSize(), slots = c.slots(), heads = c.heads();

        // x's rows and the state's rows packed apart: a deferred weight's gradient goes back through its own graph
        NDArray ctlW = w.get("controller.weight"), ctlB = packing.pack(w.get("controller.bias"));
        NDArray wxAll = packing.pack(ctlW.get(new NDIndex(":, :{}, :", c.input())));         // (R, I, G)
        NDArray wStateAll = packing.pack(ctlW.get(new NDIndex(":, {}:, :", c.input())));     // (R, [r; h], G)
        NDArray headWAll = packing.pack(w.get("heads.weight")), headBAll = packing.pack(w.get("heads.bias"));
        boolean deferState = deferred != null && deferred.pays(wStateAll), deferHeads = deferred != null && deferred.pays(headWAll);
        NDArray xAll = packing.pack(x);
        int addrCols = heads * c.addressingWidth();

        NDArray mem = packing.pack(initialMemory(m, w, type)).expandDims(1).broadcast(runs, b, slots, c.width()).reshape(runs * b, slots, c.width());
        NDArray h = m.zeros(new Shape(runs, b, hid), type), cell = h;
        NDArray reads = m.zeros(new Shape(runs, b, c.readWidth()), type);
        float[] focus = new float[runs * b * heads * slots];
        for (int i = 0; i < runs * b * heads; i++) focus[i * slots] = 1;
        NDArray weights = m.create(focus, new Shape(runs * b, heads, slots)).toType(type, false);

        NDArray[] hs = new NDArray[steps], rs = new NDArray[steps], readW = new NDArray[steps], writeW = new NDArray[steps];
        List<NDArray> ended = new ArrayList<>();                               // memory of runs that ended, latest last
        // the active runs' weights, each segment's a prefix of the previous segment's: the backward of a
        // prefix fills a gradient of its source's size, which is then the runs still going, not all R
        NDArray wx = wxAll, ctlBias = ctlB, headB = headBAll;
        NDArray wState = deferState ? wStateAll.stopGradient() : wStateAll, headW = deferHeads ? headWAll.stopGradient() : headWAll;
        for (int from = 0; from < steps; ) {
            int k = packing.active(from), n = k * b, to = packing.segmentEnd(from);
            if (packing.shrinksAt(from)) {                                     // runs past their own end drop out
                NDList kept = mem.split(new long[]{n}, 0);
                mem = kept.get(0);
                ended.add(kept.get(1));
                h = prefix(h, k);
                cell = prefix(cell, k);
                reads = prefix(reads, k);
                weights = prefix(weights, n);
            }
            wx = prefix(wx, k);
            ctlBias = prefix(ctlBias, k);
            wState = prefix(wState, k);
            headW = prefix(headW, k);
            headB = prefix(headB, k);
            NDArray xSeg = k == runs && to - from == steps ? xAll : xAll.get(new NDIndex(":{}, :, {}:{}", k, from, to));
            int len = to - from, gates = c.controller().gateWidth(hid), headCols = (int) headWAll.getShape().get(2);
            NDArray xPart = xSeg.reshape(k, b * len, c.input()).batchMatMul(wx).addi(ctlBias);   // x_t W_x + b, (k, B·len, G)
            NDArray ctlLeaf = deferState ? deferred.leaf(m, new Shape(k, b * len, gates), type) : null;
            NDList xg = (ctlLeaf == null ? xPart : xPart.addi(ctlLeaf)).reshape(k, b, -1).split(len, 2);   // per step, (k, B, G) each
            NDArray headLeaf = deferHeads ? deferred.leaf(m, new Shape(k, b, len * headCols), type) : null;
            NDList headLeaves = headLeaf == null ? null : headLeaf.split(len, 2);
            List<NDArray> states = deferState ? new ArrayList<>(len) : null;   // the u_t of the deferred controller gradient
            for (int t = from; t < to; t++)
                try (NDScope scope = new NDScope()) {                          // a step's temporaries go at its end (see Dnc)
                    NDArray state = c.controller() == Controller.LSTM ? NDArrays.concat(new NDList(reads, h), 2) : reads;
                    if (states != null) states.add(state);
                    // x_t's part added in place into the fresh product (bmm's backward keeps its inputs only)
                    NDList hc = c.controller().step(state.batchMatMul(wState).addi(xg.get(t - from)), cell);
                    h = hc.get(0);
                    cell = hc.get(1);
                    NDArray headPre = h.batchMatMul(headW).addi(headB);
                    if (headLeaves != null) headPre = headPre.addi(headLeaves.get(t - from));
                    NDList parts = headPre.split(new long[]{addrCols}, 2);   // (k, B, P): addressing | erase, add
                    weights = addressing.weights(parts.get(0).reshape(n, heads, c.addressingWidth()), mem, weights);
                    NDList rw = weights.split(new long[]{c.readHeads()}, 1);
                    NDArray r = Memory.read(mem, rw.get(0)).reshape(k, b, c.readWidth());
                    NDList ea = parts.get(1).reshape(n, c.writeHeads(), 2 * c.width()).split(2, 2);
                    NDArray erase = Activation.sigmoid(ea.get(0)), add = ea.get(1).tanh();
                    mem = c.writeHeads() == 1
                            ? Memory.writeOne(mem, rw.get(1).reshape(n, slots, 1), erase, add)   // (N, 1, S) as the column (N, S, 1)
                            : Memory.write(mem, rw.get(1), erase, add);
                    reads = readsZeroed ? r.zerosLike() : r;
                    if (c.gradientLink()) reads = reads.add(linkTerm(mem, k, b));
                    hs[t] = h;
                    rs[t] = reads;
                    readW[t] = rw.get(0);
                    writeW[t] = rw.get(1);
                    NDScope.unregister(h, cell, weights, mem, reads, rw.get(0), rw.get(1));
                    if (states != null) NDScope.unregister(state);
                }
            if (deferState) deferred.add(wStateAll, states, ctlLeaf, 2);
            if (deferHeads) deferred.add(headWAll, Arrays.asList(hs).subList(from, to), headLeaf, 2);
            from = to;
        }
        NDArray allReads = packing.join((from, to) -> stack(rs, from, to, 2), 2);                      // (R, B, T, HrD)
        NDArray features = c.bypass() ? NDArrays.concat(new NDList(packing.join((from, to) -> stack(hs, from, to, 2), 2), allReads), 3) : allReads;
        NDArray logits = features.reshape(runs, b * steps, -1).batchMatMul(w.get("output.weight")).add(w.get("output.bias"))
                .reshape(runs, b, steps, c.output());
        NDArray readWeights = packing.join((from, to) -> stack(readW, from, to, 1).reshape(packing.active(from), b, to - from, c.readHeads(), slots), 2);
        NDArray writeWeights = packing.join((from, to) -> stack(writeW, from, to, 1).reshape(packing.active(from), b, to - from, c.writeHeads(), slots), 2);
        for (int i = ended.size() - 1; i >= 0; i--) mem = NDArrays.concat(new NDList(mem, ended.get(i)), 0);   // back to all R runs, packed order
        return new Pass(logits, readWeights, writeWeights, allReads, packing.unpack(mem.reshape(runs, b, slots, c.width())));
    }

    /** The first {@code k} rows of {@code a} (all of it when it has no more). */
    private static NDArray prefix(NDArray a, long k) {
        return a.getShape().get(0) == k ? a : a.get(new NDIndex(":{}", k));
    }

    /** Steps {@code [from, to)} of {@code perStep}, stacked on {@code axis}. */
    private static NDArray stack(NDArray[] perStep, int from, int to, int axis) {
        return NDArrays.stack(new NDList(Arrays.asList(perStep).subList(from, to)), axis);
    }

    /**
     * The gradient link of one step: {@link GradientLink#term} of {@code M_t}, once per read
     * head (reads are laid out head after head), zero in value, {@code (R, B, readHeads·D)}.
     */
    private NDArray linkTerm(NDArray written, int runs, int b) {
        NDArray term = GradientLink.term(written);                         // (N, D)
        return term.expandDims(1).broadcast(term.getShape().get(0), c.readHeads(), c.width()).reshape(runs, b, c.readWidth());
    }

    /** The memory every sequence of a run starts from, {@code (R, S, D)}. */
    private NDArray initialMemory(NDManager m, Map<String, NDArray> w, DataType type) {
        NDArray fixed = m.create(fixedMemory, new Shape(params.runs(), c.slots(), c.width())).toType(type, false);
        if (learned == null) return fixed;
        NDArray start = w.get("memory.init");
        NDArray mask = m.create(learned).reshape(params.runs(), 1, 1).broadcast(start.getShape());
        return NDArrays.where(mask, start, fixed);
    }

    /**
     * The parameter groups of the memory-use diagnostics: the memory path's {@code key},
     * {@code strength} (β), {@code gate} (g), {@code shift}, {@code sharpening} (γ) of all heads,
     * {@code erase} and {@code add} of the write heads (column slices of {@code heads.*}),
     * {@code controller}, {@code output}, and {@code memory init} when a run learns it.
     */
    public List<memlab.diagnostics.ParamGroup> parameterGroups() {
        int la = c.addressingWidth(), d = c.width(), k = 2 * c.shiftRange() + 1, base = c.heads() * la;
        java.util.Map<String, List<int[]>> cols = new java.util.LinkedHashMap<>();
        for (int h = 0; h < c.heads(); h++) {
            int o = h * la;
            cols.computeIfAbsent("key", x -> new ArrayList<>()).add(new int[]{o, o + d});
            cols.computeIfAbsent("strength", x -> new ArrayList<>()).add(new int[]{o + d, o + d + 1});
            cols.computeIfAbsent("gate", x -> new ArrayList<>()).add(new int[]{o + d + 1, o + d + 2});
            cols.computeIfAbsent("shift", x -> new ArrayList<>()).add(new int[]{o + d + 2, o + d + 2 + k});
            cols.computeIfAbsent("sharpening", x -> new ArrayList<>()).add(new int[]{o + d + 2 + k, o + la});
        }
        for (int h = 0; h < c.writeHeads(); h++) {
            int o = base + h * 2 * d;
            cols.computeIfAbsent("erase", x -> new ArrayList<>()).add(new int[]{o, o + d});
            cols.computeIfAbsent("add", x -> new ArrayList<>()).add(new int[]{o + d, o + 2 * d});
        }
        List<memlab.diagnostics.ParamGroup> groups = new ArrayList<>();
        cols.forEach((name, ranges) -> {
            List<memlab.diagnostics.ParamGroup.Slice> slices = new ArrayList<>();
            for (String p : List.of("heads.weight", "heads.bias"))
                for (int[] r : ranges) slices.add(new memlab.diagnostics.ParamGroup.Slice(p, r[0], r[1]));
            groups.add(new memlab.diagnostics.ParamGroup(name, slices));
        });
        groups.add(memlab.diagnostics.ParamGroup.of("controller", "controller.weight", "controller.bias"));
        groups.add(memlab.diagnostics.ParamGroup.of("output", "output.weight", "output.bias"));
        if (learned != null) groups.add(memlab.diagnostics.ParamGroup.of("memory init", "memory.init"));
        return groups;
    }

    /** The sizes and wiring. */
    public NtmConfig config() { return c; }

    /** The parameters. */
    public ParamSet params() { return params; }

    /** Memory initialisation of run {@code r}. */
    public MemoryInit memoryInit(int r) { return init[r]; }
}
