package memlab.pmnet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import memlab.core.Check;
import memlab.core.Seeds;
import memlab.mixers.SequenceModel;
import memlab.nn.Linear;
import memlab.train.ParamSet;

import java.util.ArrayList;
import java.util.List;
import memlab.core.Scalars;

/**
 * The phasor memory of PMNet (Phasor Memory Networks, 2026): a phase {@code s ∈ [0, 2π)} per slot
 * and channel, its slots in groups arranged as an {@link AnchorTree}, written and read at every
 * position of a sequence. One layer between two transformer blocks, hosted by
 * {@link SequenceModel#insertAfter}; it adds its read to the residual stream.
 *
 * <p>Per position {@code t}, with {@code x = LN(h_t)}, {@code d} the key width and {@code a} the
 * learnable anchors (one phase per slot and channel, added to the state before addressing):
 * <pre>
 *   q = π tanh(W_q x),   θ = π tanh(W_θ x)                       (query, rotation angles per channel)
 *   for each level ℓ, group j_ℓ (j_0 = root):
 *     k_i = π tanh(W_k [sin(s_i + a_i), cos(s_i + a_i)])        (key of slot i of the group)
 *     w   = softmax_i( Σ_c cos(q_c − k_{i,c}) / √d )            (cosine attention over the group's slots)
 *     s_i ← (s_i + w_i θ) mod 2π                                 (write: rotate slot i by w_i θ)
 *     j_{ℓ+1} = b·j_ℓ + argmax_i w_i                             (the top slot picks the child group)
 *   read (after the write), per read head with its own W_r:
 *     the same descent with q_r = π tanh(W_r x); at each level  v_ℓ = Σ_i w_i [sin(s_i + a_i), cos(s_i + a_i)]
 *   y_t = W_o [v_0; …; v_{L−1}]  (over heads too)                  (added to the residual stream)
 * </pre>
 * The rotation keeps {@code [sin s, cos s]} on the unit circle whatever θ, and {@code ∂s_t/∂s_{t−1}}
 * through the update itself is the identity: gradients through time neither grow nor shrink there.
 * The state starts at 0 for every sequence. The route down the tree ({@code argmax}) carries no
 * gradient; the weights {@code w} of the groups on the route do.
 *
 * <p>{@link #forwardStepwise} is the definition above, one position at a time, the form every test
 * holds; it is also the training form (the route depends on the state, so positions cannot be
 * written in parallel).
 */
public final class PhasorMemory implements SequenceModel.Insert {
    /**
     * The memory's settings.
     *
     * @param channels        phases per slot C
     * @param keyDim          width d of queries and keys
     * @param levels          tree depth L ({@code >= 1}; the paper's tree has 4)
     * @param branching       slots per group b (the paper: 4)
     * @param readHeads       read heads, each with its own query; default 1: one retrieval per position,
     *                        what copy-paste needs (more heads read more routes at a proportional cost)
     * @param writeEveryLevel {@code true} (default): every group on the route is written, so the coarse
     *                        levels summarise what their subtrees hold and a read can stop high in the
     *                        tree; {@code false}: only the leaf group is written (the upper levels only route)
     * @param ablation        which switch of the paper's ablation is on
     */
    public record Config(int channels, int keyDim, int levels, int branching, int readHeads, boolean writeEveryLevel, Ablation ablation) {
        public Config {
            Check.positive("channels", channels);
            Check.positive("keyDim", keyDim);
            Check.positive("levels", levels);
            Check.inRange("branching", branching, 2, 64);
            Check.positive("readHeads", readHeads);
            Check.notNull("ablation", ablation);
        }

        /** The paper's tree (4 levels of groups of 4 slots: 85 groups), one read head, every level written. */
        public static Config paperTree(int channels, int keyDim) {
            return new Config(channels, keyDim, 4, 4, 1, true, Ablation.NONE);
        }

        /** The same memory with {@code a} switched on. */
        public Config with(Ablation a) {
            return new Config(channels, keyDim, levels, branching, readHeads, writeEveryLevel, a);
        }

        /** The slot layout: the tree, or (ablation {@link Ablation#FLAT}) one group of as many slots. */
        public AnchorTree tree() {
            AnchorTree t = AnchorTree.tree(levels, branching);
            return ablation == Ablation.FLAT ? t.flattened() : t;
        }
    }

    private final Config config;
    private final AnchorTree tree;
    private final String name;
    private final int width;
    private final SequenceModel.LayerNorm norm;
    private final Linear query, readQuery, key, angle, out;
    private final NDArray[] anchors;           // per level (R, G_ℓ, b·C); null when zeroed
    private final List<String> names = new ArrayList<>();
    private StateTap tap;
    private Trace recording;

    /**
     * Creates the parameters {@code name.*} in {@code params}: the norm, {@code W_q}, {@code W_r}
     * (all read heads), {@code W_k}, {@code W_θ}, {@code W_o} (PyTorch's Linear initialisation) and
     * the anchors, drawn uniformly from {@code [−π, π)} per slot and channel so that the slots of a
     * group have distinct keys from the first step.
     *
     * @param width model width D
     * @param seeds one seed per run
     */
    public PhasorMemory(ParamSet params, String name, int width, Config config, long[] seeds) {
        this.config = Check.notNull("config", config);
        this.tree = config.tree();
        this.name = name;
        this.width = Check.positive("width", width);
        int c = config.channels(), d = config.keyDim();
        norm = new SequenceModel.LayerNorm(params, name + ".norm", width);
        names.add(name + ".norm.gain");
        names.add(name + ".norm.bias");
        query = linear(params, name + ".query", width, d, seeds);
        readQuery = linear(params, name + ".readQuery", width, config.readHeads() * d, seeds);
        key = linear(params, name + ".key", 2 * c, d, seeds);
        angle = linear(params, name + ".angle", width, c, seeds);
        out = linear(params, name + ".out", config.readHeads() * tree.levels() * 2 * c, width, seeds);
        anchors = new NDArray[tree.levels()];
        if (config.ablation() != Ablation.ZERO_ANCHORS)
            for (int l = 0; l < tree.levels(); l++) {
                String n = name + ".anchors.level" + l;
                int size = tree.groups(l) * tree.slotsPerGroup() * c;
                anchors[l] = params.add(n, new Shape(tree.groups(l), tree.slotsPerGroup() * c),
                        r -> Seeds.uniform(Seeds.stream(seeds[r], n), new float[size], Math.PI));
                names.add(n);
            }
    }

    private Linear linear(ParamSet params, String n, int in, int outSize, long[] seeds) {
        names.add(n + ".weight");
        names.add(n + ".bias");
        return new Linear(params, n, in, outSize, seeds);
    }

    /** The read of every position, {@code (R, B, T, D)}, for the residual stream {@code h} of that shape. */
    @Override
    public NDArray forward(NDArray h) {
        return forwardStepwise(h, recording);
    }

    /**
     * The definition, one position at a time; when {@code trace} is not null it records every write
     * and read (for tests and the notebook's "one write by hand").
     */
    public NDArray forwardStepwise(NDArray h, Trace trace) {
        Shape sh = h.getShape();
        if (sh.dimension() != 4 || sh.get(3) != width)
            throw new IllegalArgumentException("h must have shape (R, B, T, " + width + "), got " + sh);
        int runs = (int) sh.get(0), batch = (int) sh.get(1), len = (int) sh.get(2);
        int c = config.channels(), d = config.keyDim(), heads = config.readHeads(), b = tree.slotsPerGroup();
        NDManager m = h.getManager();
        NDArray x = norm.forward(h.reshape(runs, (long) batch * len, width));
        NDArray q = squash(query.forward(x)).reshape(runs, batch, len, d);
        NDArray qr = squash(readQuery.forward(x)).reshape(runs, batch, len, heads, d);
        NDArray theta = squash(angle.forward(x)).reshape(runs, batch, len, c);
        // every position's slices by one split each, not an index per position (cheaper per step in DJL)
        NDList thetaAt = theta.split(len, 2), qAt = q.split(len, 2), qrAt = qr.reshape(runs, batch, (long) len * heads, d).split((long) len * heads, 2);
        NDArray[] state = new NDArray[tree.levels()];
        for (int l = 0; l < tree.levels(); l++) state[l] = m.zeros(new Shape(runs, batch, tree.groups(l), (long) b * c));
        List<NDArray> reads = new ArrayList<>(len);
        for (int t = 0; t < len; t++) {
            NDArray thetaT = thetaAt.get(t);                                         // (R, B, 1, C)
            NDArray qt = qAt.get(t).squeeze(2);                                      // (R, B, d)
            if (trace != null) trace.angles.add(thetaT.toFloatArray());
            NDArray group = m.zeros(new Shape(runs, batch), DataType.INT64);
            for (int l = 0; l < tree.levels(); l++) {
                Address a = address(state[l], l, group, qt);
                boolean written = config.writeEveryLevel() || l == tree.levels() - 1;
                if (trace != null) trace.writes.add(new Trace.Access(t, l, group.toLongArray(), a.weights.toFloatArray(), written));
                if (written) {
                    NDArray old = a.slotState;                                       // (R, B, b, C)
                    NDArray updated = update(old, a.weights.expandDims(-1).mul(thetaT), config.ablation());
                    NDArray next = a.pick == null ? updated.reshape(runs, batch, 1, (long) b * c)      // one group: it is the level
                            : state[l].add(a.pick.expandDims(-1).mul(updated.sub(old).reshape(runs, batch, 1, (long) b * c)));
                    state[l].close();                                                // autograd keeps what it needs
                    state[l] = next;
                }
                group = group.mul(tree.isTree() ? b : 0).add(a.top);
            }
            if (tap != null)
                for (int l = 0; l < tree.levels(); l++) {
                    NDArray tapped = tap.apply(t, l, state[l]);
                    state[l].close();
                    state[l] = tapped;
                }
            List<NDArray> values = new ArrayList<>(heads * tree.levels());
            for (int r = 0; r < heads; r++) {
                NDArray route = m.zeros(new Shape(runs, batch), DataType.INT64);
                NDArray qrt = qrAt.get(t * heads + r).squeeze(2);                    // (R, B, d)
                for (int l = 0; l < tree.levels(); l++) {
                    Address a = address(state[l], l, route, qrt);
                    if (trace != null) trace.reads.add(new Trace.Access(t, l, route.toLongArray(), a.weights.toFloatArray(), false));
                    values.add(a.weights.expandDims(-1).mul(a.features).sum(new int[]{2}));   // (R, B, 2C)
                    route = route.mul(tree.isTree() ? b : 0).add(a.top);
                }
            }
            reads.add(NDArrays.concat(new NDList(values), -1).expandDims(2));          // (R, B, 1, H·L·2C)
        }
        if (trace != null) {
            trace.finalState = new float[tree.levels()][];
            for (int l = 0; l < tree.levels(); l++) trace.finalState[l] = state[l].toFloatArray();
        }
        NDArray v = NDArrays.concat(new NDList(reads), 2).reshape(runs, (long) batch * len, -1);
        return out.forward(v).reshape(runs, batch, len, width);
    }

    /** The slots of group {@code group} at level {@code level}: their phases, features, weights, top slot and the one-hot pick ({@code null} for a single group). */
    private record Address(NDArray slotState, NDArray features, NDArray weights, NDArray top, NDArray pick) {}

    private Address address(NDArray levelState, int level, NDArray group, NDArray q) {
        Shape s = levelState.getShape();
        int runs = (int) s.get(0), batch = (int) s.get(1), groups = (int) s.get(2), b = tree.slotsPerGroup(), c = config.channels(), d = config.keyDim();
        NDArray pick = null, slotState, phase;
        if (groups == 1) {                                 // the root, or the flat layout: no group to pick
            slotState = levelState.reshape(runs, batch, b, c);
            phase = anchors[level] == null ? slotState : slotState.add(anchors[level].reshape(runs, 1, b, c));
        } else {
            // the group's row picked by a one-hot matrix product (exact; its gradient goes to that row only)
            pick = oneHot(group, groups);                                                      // (R, B, G)
            slotState = pick.reshape((long) runs * batch, 1, groups).batchMatMul(levelState.reshape((long) runs * batch, groups, (long) b * c))
                    .reshape(runs, batch, b, c);
            phase = anchors[level] == null ? slotState : slotState.add(pick.batchMatMul(anchors[level]).reshape(runs, batch, b, c));
        }
        NDArray features = phase.sin().concat(phase.cos(), -1);                       // (R, B, b, 2C)
        NDArray k = key.forward(features.reshape(runs, (long) batch * b, 2L * c)).tanh();
        k = Scalars.mul(k, Math.PI).reshape(runs, batch, b, d);
        NDArray weights = q.expandDims(2).sub(k).cos().sum(new int[]{-1});
        weights = Scalars.div(weights, Math.sqrt(d)).softmax(-1);   // (R, B, b)
        NDArray top = weights.argMax(-1).toType(DataType.INT64, false);
        return new Address(slotState, features, weights, top, pick);
    }

    /** {@code (R, B)} group indices → {@code (R, B, G)} one-hot rows (float). */
    private static NDArray oneHot(NDArray group, int groups) {
        return group.getManager().arange(groups).toType(DataType.INT64, false).reshape(1, 1, -1)
                .eq(group.expandDims(-1)).toType(DataType.FLOAT32, false);
    }

    /** {@code π tanh(y)}: queries, keys and angles live on (−π, π). */
    private static NDArray squash(NDArray y) {
        return Scalars.mul(y.tanh(), Math.PI);
    }

    /**
     * The state update of the slots of one group by {@code delta = w ⊗ θ}: the rotation
     * {@code (s + δ) mod 2π}, or with the unitary constraint removed {@code tanh(s + δ)}. The modulo
     * is {@code x − 2π⌊x / 2π⌋}: its gradient is 1 (the floor's is 0), so it changes the numbers a
     * phase is stored as, never what sin and cos of it are.
     */
    public static NDArray update(NDArray s, NDArray delta, Ablation ablation) {
        NDArray x = s.add(delta);
        if (ablation == Ablation.UNCONSTRAINED) return x.tanh();
        NDArray turn = Scalars.of(2 * Math.PI, x);
        return x.sub(x.div(turn).floor().mul(turn));
    }

    /** What one forward pass did, position by position. */
    public static final class Trace {
        /**
         * One addressing step: at position {@code t}, level {@code level}, the group of each
         * (run, sequence) in row-major order, the slot weights {@code (R, B, b)} and whether it wrote.
         */
        public record Access(int t, int level, long[] group, float[] weights, boolean wrote) {}

        final List<Access> writes = new ArrayList<>(), reads = new ArrayList<>();
        final List<float[]> angles = new ArrayList<>();
        float[][] finalState;

        /** The write steps, position by position, level by level. */
        public List<Access> writes() { return List.copyOf(writes); }

        /** The read steps (heads one after the other within a position). */
        public List<Access> reads() { return List.copyOf(reads); }

        /** The rotation angles θ of position {@code t}, {@code (R, B, C)} row-major. */
        public float[] angles(int t) { return angles.get(t).clone(); }

        /** The state {@code (R, B, G_ℓ, b·C)} of level {@code level} after the last position, row-major. */
        public float[] finalState(int level) { return finalState[level].clone(); }
    }

    /**
     * Routes every later forward pass through {@code tap} ({@code null}: none), which adds an offset to
     * the state of each level after the writes of each position: {@code s_t ← s_t + z_t}. With
     * {@code z_t = 0} the numbers are unchanged and {@code ∂L/∂z_t = ∂L/∂s_t}, the gradient of the loss
     * with respect to the state at step {@code t} (pm-gradnorm).
     */
    public void tap(StateTap tap) { this.tap = tap; }

    /**
     * Records every later forward pass of the host model into {@code trace} ({@code null}: stop), to
     * look at the writes and reads of a trained model (one pass per trace: a second one appends).
     */
    public void record(Trace trace) { this.recording = trace; }

    /**
     * The offsets {@code z_t} added to the memory state after the writes of position {@code t} (one per
     * level), kept as graph leaves so that their gradients, {@code ∂L/∂s_t}, can be read after the
     * backward pass. All zero, or (finite differences) one entry set to {@code by}.
     */
    public static final class StateTap {
        private final java.util.Map<Long, NDArray> leaves = new java.util.HashMap<>();
        private final int atT, atLevel, atIndex;
        private final float by;
        private int levels = 1, positions;

        /** All offsets zero: measures {@code ∂L/∂s_t}. */
        public StateTap() {
            this(-1, 0, 0, 0);
        }

        private StateTap(int atT, int atLevel, int atIndex, float by) {
            this.atT = atT;
            this.atLevel = atLevel;
            this.atIndex = atIndex;
            this.by = by;
        }

        /** Offsets zero but entry {@code index} (row-major in {@code (R, B, G_ℓ, b·C)}) of level {@code level} at position {@code t}. */
        public static StateTap perturbing(int t, int level, int index, double by) {
            Check.nonNegative("t", t);
            Check.nonNegative("level", level);
            Check.nonNegative("index", index);
            return new StateTap(t, level, index, (float) by);
        }

        NDArray apply(int t, int level, NDArray state) {
            levels = Math.max(levels, level + 1);
            positions = Math.max(positions, t + 1);
            NDArray z;
            if (t == atT && level == atLevel) {
                float[] v = new float[(int) state.getShape().size()];
                v[atIndex] = by;
                z = state.getManager().create(v, state.getShape());
            } else z = state.zerosLike();
            z.setRequiresGradient(true);
            NDArray old = leaves.put(key(t, level), z);
            if (old != null) old.close();
            return state.add(z);
        }

        private static long key(int t, int level) { return ((long) t << 8) | level; }

        /** {@code ∂L/∂s_t} of level {@code level}, {@code (R, B, G_ℓ, b·C)} row-major; zeros where the loss does not reach. */
        public float[] gradient(int t, int level) {
            NDArray z = leaves.get(key(t, level));
            if (z == null) throw new IllegalArgumentException("no state tapped at t " + t + ", level " + level + " (positions " + positions + ", levels " + levels + ")");
            try {
                return z.getGradient().toFloatArray();
            } catch (IllegalStateException notReached) {
                return new float[(int) z.getShape().size()];
            }
        }

        /** Per run, per position: {@code ‖∂L/∂s_t‖} over all levels, sequences, slots and channels, {@code [run][t]}. */
        public double[][] norms(int runs) {
            double[][] n = new double[runs][positions];
            for (int t = 0; t < positions; t++)
                for (int l = 0; l < levels; l++) {
                    float[] g = gradient(t, l);
                    int per = g.length / runs;
                    for (int r = 0; r < runs; r++)
                        for (int i = r * per; i < (r + 1) * per; i++) n[r][t] += (double) g[i] * g[i];
                }
            for (double[] row : n) for (int t = 0; t < row.length; t++) row[t] = Math.sqrt(row[t]);
            return n;
        }
    }

    public Config config() { return config; }

    public AnchorTree tree() { return tree; }

    public String name() { return name; }

    /** The names of this memory's parameters. */
    public List<String> parameterNames() { return List.copyOf(names); }
}
