package memlab.ephemeral;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import memlab.core.Check;
import memlab.core.Seeds;
import memlab.nn.Linear;
import memlab.tasks.chars.CharBatch;
import memlab.train.ParamSet;
import memlab.train.RunRecorder;
import memlab.train.Step;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The character model of the paper, baseline RNN or ephemeral weights, for R runs × B sequences at
 * once.
 *
 * <p><b>Network</b> (Eq. 1–4), one-hot input {@code x_t}, hidden {@code H} (paper 256), {@code V}
 * characters:
 * <pre>
 *   h_t = f(W_xh x_t [+ W_hh h_{t-1}] + b_h)           (recurrence switchable; ephemeral model: off)
 *   y_t = softmax(W_hy h_t + b_y),   L_t = −log y_t[target]
 * </pre>
 * with {@code f} = ReLU as the text, or GELU as the authors' code ({@link ModelConfig#activation()},
 * {@link HiddenActivation}); weights drawn as PyTorch's {@code nn.Linear}, or the weight matrices
 * starting at 0 as the authors' code (per run: {@link RunConfig#init()}, {@link Initialisation}).
 * <b>Plasticity</b> (Eq. 5): a random {@code fraction} of the entries of {@code W_xh, b_h, W_hh}
 * (never the output layer) is ephemeral with plasticity α; every update is
 * {@code w_k ← w_k − lr · α_k · g_k} with the updater's gradient {@code g} ({@link Updater}).
 * <b>Decay</b> (Eq. 6): after every update each ephemeral weight decays, {@code E ← γ E}
 * ({@code γ} = {@link RunConfig#forgetRate()}); what {@code E} is — the whole value or the deviation
 * from a slow baseline — is set by {@link DecayTarget}. <b>Clipping</b>: after every update, every
 * weight is clipped to {@code [−clip, clip]}; so are the initial weights, so that the first
 * character already sees clipped weights.
 *
 * <p><b>Batching</b> (§3.6.3): each of the B sequences of a run has its own ephemeral weights
 * {@code E_b}; only they change within a sequence. The slow weights {@code S} are shared by the
 * B sequences; their gradients are summed over the characters of a sequence, averaged over the B
 * sequences and applied after the complete sequences ({@code S ← S − lr · mean_b Σ_t g_{b,t}}),
 * which for B = 1 is the paper's per-character rule up to the order of the slow updates within a
 * sequence. The effective weight of sequence b is {@code S ⊙ (1 − M) + E_b} ({@link DecayTarget#VALUE})
 * or {@code S + E_b} ({@link DecayTarget#DEVIATION}). The hidden state starts at 0 in every sequence.
 *
 * <p><b>Runs as a batch dimension</b>: runs differ only in numbers ({@link RunConfig}); all
 * per-run numbers are tensors over the leading run axis, and runs never mix. A {@linkplain #freeze
 * frozen} run (diverged) keeps its slow weights; the others go on.
 *
 * <p><b>Implementation</b>: gradients are explicit formulas in batched NDArray ops, no autograd
 * (tested against autograd). Because {@code x_t} is one-hot, a character's input-weight gradient
 * {@code [x_t;1] ⊗ δ_t} touches two rows of {@code E_b} (the character's and the bias), which are
 * read and written as one-hot products (small models: fewest operations) or gathered and written
 * back as rows (large batched sweeps: O(R·B·H) per character rather than O(R·B·V·H)); both are
 * tested against each other and against autograd. The recurrent ephemeral weights are stored only
 * at their plastic entries (a tenth of H×H; {@link RecurrentEntries}), read and written through
 * gathers of {@code h_{t−1}}. Decay is kept lazily as a per-sequence scale
 * ({@code E = s · Ẽ}, {@code s ← γ s}) that lives on the host: every {@code s} of a step is known
 * before it starts, so it costs no device operation per character. A single small run is bound by
 * the number of operations, not by arithmetic, so the step prepares everything that does not
 * depend on the previous character at once and reads its metrics back in a few transfers (see
 * {@code runStep}).
 */
public final class EphemeralNet implements AutoCloseable {
    /** Metric: mean cross-entropy over the step's predictions. */
    public static final String LOSS = RunRecorder.LOSS;
    /** Metric: share of correct predictions (argmax) over all positions. */
    public static final String ACCURACY = "accuracy";
    /** Metric: share of correct predictions over the positions that need memory. */
    public static final String MEMORY_ACCURACY = "memory_accuracy";
    /** Metric: mean over characters of the norm of the high-plasticity part of the gradient. */
    public static final String GRAD_HIGH = "grad_norm_high";
    /** Metric: mean over characters of the norm of the low-plasticity part (all other weights, output layer included). */
    public static final String GRAD_LOW = "grad_norm_low";
    /** Metric: {@code grad_norm_high / grad_norm_low}. */
    public static final String GRAD_RATIO = "grad_ratio";
    /** Metric: largest |weight| among the ephemeral weights at the end of the step. */
    public static final String EPHEMERAL_MAX = "ephemeral_max";

    private static final double RENORMALISE_BELOW = 1e-12;
    /**
     * Models with at most this many ephemeral input weights ({@code R·B·(V+1)·H}) read and write
     * them as one-hot products, larger ones as gathered rows. Measured on 2 cores (3-character
     * reversed sequences, B 4, H 256): one-hot 1.7 vs rows 4.5 ms per step at 9 216 weights, equal
     * (10.8 vs 10.7) at 589 824, rows faster at 2 304 000 (41 vs 66). Package-private and mutable
     * so that tests can run both paths.
     */
    static long denseAccessLimit = 1 << 19;

    private final ModelConfig cfg;
    private final List<RunConfig> runs;
    private final int R, B, N, V, H, I;
    private final boolean hasEphemeral, anyClip;
    private final boolean[] live;
    private final ParamSet params;
    private final NDManager state;
    private final NDArray maskIn, maskInFlat, maskInT, keepIn, maskRec, keepRec, feedback;
    private final NDArray eIn;
    /**
     * The recurrent ephemeral weights, stored only at the plastic entries: (R·B, H, P), entry p of
     * column j is row {@link #recRows}[j, p] of E_rec (P = the most plastic entries of any column;
     * the rest is padding, kept at 0 by a zero coefficient). A tenth of the weights are plastic, so
     * this is ~6× less to read and write per character than the dense H×H matrices.
     */
    private final NDArray eRec;
    /** Per run, (R, 1, H·P): the row i of each stored entry and its flat position i·H + j ({@link RecurrentEntries}). */
    private final NDArray recRows, recAt;
    /** (R, 1, H, P): 1 at a stored plastic entry, 0 at padding. */
    private final NDArray recPlastic;
    private final int P;
    /** The lazy decay scale of every sequence, {@code E = s · Ẽ}; a host number: its future is known. */
    private final double[] scale;
    /** Whether E is read and written as one-hot products rather than as gathered rows. */
    private final boolean dense;
    private final List<NDArray> longLived = new ArrayList<>();
    /** Per-run numbers on the device, (R, 1, 1) each, and −lr·α on the plastic input entries and on the stored recurrent entries (R, 1, H, P); rebuilt when a run is frozen. */
    private NDArray coefR, clipR, lrMean, coefIn, coefRec;
    /** The slow learning rate per run on the host (lr / B; 0 for a frozen run). */
    private final float[] lrSlow;

    /**
     * @param parent  manager the model's arrays live under
     * @param config  what the runs share
     * @param runs    one entry per run (R = runs.size())
     * @param vocab   number of characters V
     */
    public EphemeralNet(NDManager parent, ModelConfig config, List<RunConfig> runs, int vocab) {
        if (runs == null || runs.isEmpty()) throw new IllegalArgumentException("runs must not be empty");
        this.cfg = config;
        this.runs = List.copyOf(runs);
        this.R = runs.size();
        this.B = config.batch();
        this.N = R * B;
        this.V = Check.positive("vocab", vocab);
        this.H = config.hidden();
        this.I = V + 1;
        this.hasEphemeral = runs.stream().anyMatch(r -> r.fraction() > 0);
        this.anyClip = runs.stream().anyMatch(r -> Double.isFinite(r.clip()));
        this.live = new boolean[R];
        Arrays.fill(live, true);
        long[] seeds = runs.stream().mapToLong(RunConfig::seed).toArray();

        params = new ParamSet(parent, R);
        new Linear(params, "input", V, H, seeds);
        if (config.recurrence()) {
            double bound = 1 / Math.sqrt(H);
            params.add("recurrent.weight", new Shape(H, H), r -> Seeds.uniform(Seeds.stream(seeds[r], "recurrent.weight"), new float[H * H], bound));
        }
        new Linear(params, "output", H, V, seeds);
        if (runs.stream().anyMatch(r -> r.init() == Initialisation.ZERO_WEIGHTS))
            for (String w : config.recurrence() ? List.of("input.weight", "recurrent.weight", "output.weight") : List.of("input.weight", "output.weight"))
                zeroStartingRuns(params.get(w));   // the biases keep their draws
        state = params.manager().newSubManager();

        float[] mi = new float[R * I * H];
        for (int r = 0; r < R; r++)
            System.arraycopy(PlasticityMask.draw(seeds[r], "input", I * H, runs.get(r).fraction()), 0, mi, r * I * H, I * H);
        maskIn = keep(state.create(mi, new Shape(R, I, H)));
        maskInFlat = keep(maskIn.reshape(R * I, H));
        maskInT = keep(maskIn.transpose(0, 2, 1));
        keepIn = keep(maskIn.neg().add(1f));
        if (config.recurrence()) {
            float[] mr = new float[R * H * H];
            for (int r = 0; r < R; r++)
                System.arraycopy(PlasticityMask.draw(seeds[r], "recurrent", H * H, runs.get(r).fraction()), 0, mr, r * H * H, H * H);
            maskRec = keep(state.create(mr, new Shape(R, H, H)));
            keepRec = keep(maskRec.neg().add(1f));
            RecurrentEntries entries = new RecurrentEntries(mr, R, H);
            P = entries.perColumn;
            recRows = keep(state.create(entries.rows, new Shape(R, 1, (long) H * P)));
            recAt = keep(state.create(entries.flat, new Shape(R, 1, (long) H * P)));
            recPlastic = keep(state.create(entries.plastic, new Shape(R, 1, H, P)));
        } else {
            maskRec = null;
            keepRec = null;
            recRows = recAt = recPlastic = null;
            P = 0;
        }
        float[] fb = new float[R * V * H];
        for (int r = 0; r < R; r++) System.arraycopy(FeedbackMatrix.draw(seeds[r], V, H), 0, fb, r * V * H, V * H);
        feedback = keep(state.create(fb, new Shape(R, V, H)));

        eIn = keep(state.zeros(new Shape((long) N * I, H)));
        eRec = config.recurrence() ? keep(state.zeros(new Shape(N, H, P))) : null;
        scale = new double[N];
        dense = (long) N * I * H <= denseAccessLimit;
        lrSlow = new float[R];
        refreshRunNumbers();
        if (anyClip) clipInitialWeights();
        resetEphemeral(true);
    }

    /**
     * Clips the initial slow weights like every weight after an update. From then on every weight
     * stays inside [−clip, clip] although a step clips only what it changes: the bounds on the
     * lazily scaled Ẽ only widen as s decays.
     */
    private void clipInitialWeights() {
        try (NDManager tmp = state.newSubManager()) {
            tmp.tempAttachAll(params.arrays());
            tmp.tempAttachAll(clipR);
            for (NDArray p : params.all().values()) p.intern(p.minimum(clipR).maximum(clipR.neg()));
        }
    }

    /** Sets run r's slice of {@code w} (R, ·, ·) to exactly 0 where run r starts from {@link Initialisation#ZERO_WEIGHTS}. */
    private void zeroStartingRuns(NDArray w) {
        float[] v = w.toFloatArray();
        int per = v.length / R;
        for (int r = 0; r < R; r++) if (runs.get(r).init() == Initialisation.ZERO_WEIGHTS) Arrays.fill(v, r * per, (r + 1) * per, 0f);
        w.set(java.nio.FloatBuffer.wrap(v));
    }

    private NDArray keep(NDArray a) {
        longLived.add(a);
        return a;
    }

    /** The shared settings. */
    public ModelConfig config() { return cfg; }

    /** The runs, in run-axis order. */
    public List<RunConfig> runs() { return runs; }

    /** The slow weights: {@code input.weight (R,V,H)}, {@code input.bias (R,1,H)}, {@code recurrent.weight (R,H,H)}, {@code output.weight (R,H,V)}, {@code output.bias (R,1,V)}; layout {@code x W + b}. */
    public ParamSet params() { return params; }

    /** Stops all updates of run {@code r} (it diverged); its slow weights stay as they are. */
    public void freeze(int r) {
        live[r] = false;
        refreshRunNumbers();
    }

    /** (Re)builds the per-run numbers that steps read: a frozen run has lr = 0 and no plasticity. */
    private void refreshRunNumbers() {
        float[] coef = new float[R], clip = new float[R];
        for (int r = 0; r < R; r++) {
            RunConfig rc = runs.get(r);
            lrSlow[r] = live[r] ? (float) (rc.lr() / B) : 0f;   // slow gradients are means over the B sequences
            coef[r] = live[r] ? (float) (-rc.lr() * rc.plasticity()) : 0f;
            clip[r] = (float) rc.clip();
        }
        for (NDArray old : runNumbers()) if (old != null) old.close();
        lrMean = state.create(lrSlow, new Shape(R, 1, 1));
        coefR = state.create(coef, new Shape(R, 1, 1));
        clipR = state.create(clip, new Shape(R, 1, 1));
        try (NDManager tmp = state.newSubManager()) {
            tmp.tempAttachAll(maskInFlat, coefR);
            coefIn = maskInFlat.mul(coefR.broadcast(R, I, 1).reshape((long) R * I, 1));
            coefIn.attach(state);
            if (recPlastic != null) {
                tmp.tempAttachAll(recPlastic);
                coefRec = recPlastic.mul(coefR.expandDims(3));
                coefRec.attach(state);
            }
        }
    }

    private NDArray[] runNumbers() {
        return coefRec == null ? new NDArray[]{coefR, clipR, lrMean, coefIn} : new NDArray[]{coefR, clipR, lrMean, coefIn, coefRec};
    }

    /** Whether run {@code r} is still updated. */
    public boolean isLive(int r) { return live[r]; }

    /**
     * Processes one step: for every run, its B sequences of {@code data}, character by character,
     * updating the ephemeral weights after every character (or at the sequence end for BPTT) and,
     * if {@code train}, the slow weights after the sequences. With {@code train = false} (evaluation)
     * the per-character updates still happen, as the paper requires, but on a copy: the slow
     * weights and the ephemeral state are left as they were.
     *
     * @return per-run metrics ({@link #LOSS}, {@link #ACCURACY}, {@link #MEMORY_ACCURACY},
     *         {@link #GRAD_HIGH}, {@link #GRAD_LOW}, {@link #GRAD_RATIO}, {@link #EPHEMERAL_MAX}),
     *         computed from the predictions made before each character's update
     */
    public Map<String, float[]> step(CharBatch data, boolean train) {
        if (data.runs() != R || data.batch() != B)
            throw new IllegalArgumentException("data has " + data.runs() + " runs × " + data.batch() + " sequences, the model " + R + " × " + B);
        try (Step step = Step.open(params.manager(), params.arrays(), longLived.toArray(new NDArray[0]), runNumbers())) {
            NDManager m = step.manager();
            NDArray[] saved = train ? null : new NDArray[]{eIn.duplicate(), eRec == null ? null : eRec.duplicate()};
            double[] savedScale = scale.clone();
            if (cfg.resetEachSequence()) resetEphemeral(false);
            Map<String, float[]> metrics = runStep(m, data, train);
            if (saved != null) {
                eIn.intern(saved[0]);
                if (eRec != null) eRec.intern(saved[1]);
                System.arraycopy(savedScale, 0, scale, 0, N);
            }
            return metrics;
        }
    }

    /*
     * Layout. A character of a small model costs a few microseconds of arithmetic but several
     * microseconds of overhead per operation (more for indexing), so everything that does not depend
     * on the previous character is prepared once per step and cut into per-character pieces with one
     * split. Per-position arrays are run-major, (R, T·B, ·) with position q = t·B + b inside run r:
     * a split along axis 1 yields the (R, B, ·) piece of character t, the per-character results
     * concatenate back into that layout, and the slow gradients are then one batched product each,
     * summing over characters and sequences at once.
     */
    private Map<String, float[]> runStep(NDManager m, CharBatch data, boolean train) {
        final int T = data.length(), TB = T * B;
        final boolean rec = cfg.recurrence();
        final boolean perChar = cfg.updater().perCharacter();
        final boolean value = cfg.decayTarget() == DecayTarget.VALUE;

        // ---- host side: one-hot data, row indices, and the decay scale s of every character (advances `scale`)
        double[] gamma = new double[R];
        for (int r = 0; r < R; r++) gamma[r] = live[r] ? runs.get(r).forgetRate() : 1;
        StepLayout lay = new StepLayout(data, V, lrSlow, !dense, hasEphemeral, scale, gamma, perChar, RENORMALISE_BELOW);

        NDArray X = m.create(lay.x, new Shape(R, TB, I));
        NDArray sIn = params.get("input.weight").concat(params.get("input.bias"), 1);   // (R, I, H)
        NDArray sInEff = value ? sIn.mul(keepIn) : sIn;
        NDArray wOut = params.get("output.weight"), bOut = params.get("output.bias");
        NDArray wOutT = cfg.updater() == Updater.DFA && perChar ? null : wOut.transpose(0, 2, 1);   // (R, V, H)
        NDArray back = cfg.updater() == Updater.DFA ? feedback : wOutT;
        NDArray sRec = rec ? params.get("recurrent.weight") : null;
        NDArray sRecEff = rec ? (value ? sRec.mul(keepRec) : sRec) : null;
        NDArray sRecAt = rec && hasEphemeral && anyClip && !value ? atEntries(sRec.reshape(R, 1, (long) H * H)) : null;   // S at the stored entries: the clip bound of a deviation
        NDArray recRowsB = rec && hasEphemeral ? recRows.broadcast(R, B, (long) H * P) : null;   // views, no copies

        // per-character pieces, (R, B, ·) each
        NDList aSlowT = X.batchMatMul(sInEff).split(T, 1);                                  // [x;1]·S_eff, all characters at once
        NDList yT = m.create(lay.y, new Shape(R, TB, V)).split(T, 1);
        NDList validT = lay.padded ? m.create(lay.valid, new Shape(R, TB, 1)).split(T, 1) : null;
        NDList sT = null, invT = null;   // s and 1/s, (R, B, 1)
        NDList readT = null, writeT = null, rowsIdx = null, hiT = null, loT = null;
        NDArray eIn3 = null, eIn4 = null;
        if (hasEphemeral) {
            if (rec || !dense) sT = m.create(lay.s, new Shape((long) T * R, B, 1)).split(T);
            if (rec && perChar) invT = m.create(lay.inv, new Shape((long) T * R, B, 1)).split(T);
            if (dense) {   // read: s·[x;1] as (N, 1, I) rows; write: (1/s)·[x;1]ᵀ ⊙ (−lr·α·M) as (R, B, I, H)
                readT = m.create(lay.scaledOneHot(data, false), new Shape((long) T * N, 1, I)).split(T);
                eIn3 = eIn.reshape(N, I, H);
                eIn4 = eIn.reshape(R, B, I, H);
                if (perChar)
                    writeT = m.create(lay.scaledOneHot(data, true), new Shape(T, R, B, I, 1)).mul(coefIn.reshape(R, 1, I, H)).reshape((long) T * R, B, I, H).split(T);
                if (perChar && anyClip) {   // the bound on Ẽ is the bound on s·Ẽ (+ the slow weight) over s
                    NDArray inv = m.create(lay.inv, new Shape(T, R, B, 1, 1)), c = clipR.expandDims(1);
                    NDArray hi = value ? inv.mul(c) : inv.mul(c.sub(sIn.expandDims(1)));
                    NDArray lo = value ? hi.neg() : inv.mul(c.neg().sub(sIn.expandDims(1)));
                    hiT = hi.reshape((long) T * R, B, hi.getShape().get(3), hi.getShape().get(4)).split(T);
                    loT = lo.reshape((long) T * R, B, lo.getShape().get(3), lo.getShape().get(4)).split(T);
                }
            } else {
                rowsIdx = m.create(lay.eRows).split(T);                                           // row index (2N) per character
                if (perChar) {
                    NDArray invRows = m.create(lay.inverseScalePerRow(), new Shape((long) T * 2 * N, 1));
                    NDIndex maskAt = new NDIndex("{}", m.create(lay.maskRows));
                    writeT = coefIn.get(maskAt).mul(invRows).reshape(2L * T, R, B, H).split(T);   // (−lr·α·M)/s, (2, R, B, H) per character
                    if (anyClip) {
                        NDArray sRows = value ? null : sIn.reshape((long) R * I, H).get(maskAt);
                        NDArray clipRows = m.create(lay.perRow(clipHost()), new Shape((long) T * 2 * N, 1));
                        NDArray hi = value ? clipRows.mul(invRows) : clipRows.sub(sRows).mul(invRows);
                        NDArray lo = value ? hi.neg() : clipRows.neg().sub(sRows).mul(invRows);
                        hiT = hi.reshape(2L * T, R, B, hi.getShape().get(1)).split(T);
                        loT = lo.reshape(2L * T, R, B, lo.getShape().get(1)).split(T);
                    }
                }
            }
        }

        // ---- characters
        List<NDArray> deltas = new ArrayList<>(T), errors = new ArrayList<>(T), hiddens = new ArrayList<>(T),
                prevs = new ArrayList<>(T), logits = new ArrayList<>(T), derivs = new ArrayList<>(T);
        NDArray hPrev = rec ? m.zeros(new Shape(R, B, H)) : null;
        NDArray sNow = !perChar && hasEphemeral ? hostScale(m, new Shape(R, B, 1)) : null;   // BPTT: s is fixed during the sequence
        for (int t = 0; t < T; t++) {
            if (lay.renormaliseAt[t] != null) renormalise(lay.renormaliseAt[t]);
            NDArray s = sT == null ? null : sT.get(t);
            NDArray a = aSlowT.get(t);
            NDArray rows = null;
            if (hasEphemeral) {
                if (dense) {
                    a = a.add(readT.get(t).batchMatMul(eIn3).reshape(R, B, H));               // s·[x;1]·Ẽ
                } else {
                    rows = eIn.get(new NDIndex("{}", rowsIdx.get(t))).reshape(2, R, B, H);
                    a = a.add(rows.sum(new int[]{0}).mul(s));
                }
            }
            NDArray hAt = null;   // h_{t−1} at the row of each stored recurrent entry, (R, B, H, P)
            if (rec) {
                a = a.add(hPrev.batchMatMul(sRecEff));
                if (hasEphemeral) {   // Σ_i h_i E_ij over column j's plastic entries
                    hAt = hPrev.gather(recRowsB, 2).reshape(R, B, H, P);
                    a = a.add(hAt.mul(eRec.reshape(R, B, H, P)).sum(new int[]{3}).mul(s));
                }
            }
            HiddenActivation.Applied f = cfg.activation().apply(a);
            NDArray h = f.h(), deriv = f.derivative();
            NDArray z = h.batchMatMul(wOut).add(bOut);
            NDArray e = z.softmax(2).sub(yT.get(t));                                       // ∂L/∂z = softmax(z) − y
            if (!lay.allValid[t]) e = e.mul(validT.get(t));   // no error where a sequence has already ended
            if (perChar) {
                NDArray delta = e.batchMatMul(back).mul(deriv);
                deltas.add(delta);
                if (hasEphemeral) {
                    if (dense) {   // Ẽ += ((1/s)·[x;1]ᵀ ⊗ δ) ⊙ (−lr·α·M)
                        NDArray step = writeT.get(t).mul(delta.expandDims(2));
                        if (anyClip) {
                            NDArray next = eIn4.add(step).minimum(hiT.get(t)).maximum(loT.get(t));
                            eIn.intern(next.reshape((long) N * I, H));
                            eIn3 = eIn.reshape(N, I, H);
                            eIn4 = eIn.reshape(R, B, I, H);
                        } else {
                            eIn4.addi(step);
                        }
                    } else {
                        NDArray next = rows.add(writeT.get(t).mul(delta));
                        if (anyClip) next = next.minimum(hiT.get(t)).maximum(loT.get(t));
                        eIn.set(new NDIndex("{}", rowsIdx.get(t)), next.reshape(2L * N, H));
                    }
                    if (rec) updateRecurrent(hAt.mul(delta.mul(invT.get(t)).expandDims(3)),   // (h_{t−1} ⊗ δ / s) at the stored entries
                            sRecAt, s.expandDims(3), value);
                }
            } else {
                derivs.add(deriv);
            }
            errors.add(e);
            hiddens.add(h);
            if (rec) prevs.add(hPrev);
            logits.add(z);
            hPrev = h;
        }

        // ---- BPTT: backward through time with the (fixed) weights of each sequence, then the ephemeral update
        if (!perChar) {
            NDArray[] d = new NDArray[T];
            NDArray sRecEffT = rec ? sRecEff.transpose(0, 2, 1) : null;
            NDArray eRecT = rec && hasEphemeral ? denseRecurrent(m).transpose(0, 2, 1) : null;   // E is fixed during the sequence
            for (int t = T - 1; t >= 0; t--) {
                NDArray g = errors.get(t).batchMatMul(wOutT);
                if (rec && t < T - 1) {
                    g = g.add(d[t + 1].batchMatMul(sRecEffT));
                    if (eRecT != null) g = g.add(d[t + 1].reshape(N, 1, H).batchMatMul(eRecT).reshape(R, B, H).mul(sNow));
                }
                d[t] = g.mul(derivs.get(t));
            }
            deltas.addAll(Arrays.asList(d));
            if (hasEphemeral) {
                NDArray s4 = sNow.expandDims(3);
                NDArray dn = NDArrays.stack(new NDList(deltas), 2).reshape(N, T, H).div(sNow.reshape(N, 1, 1));
                NDArray xn = X.reshape(R, T, B, I).transpose(0, 2, 3, 1).reshape(N, I, T);       // (N, I, T)
                NDArray gIn = xn.batchMatMul(dn).reshape(R, B, I, H);                          // Σ_t u ⊗ δ / s
                NDArray next = eIn.reshape(R, B, I, H).add(gIn.mul(maskIn.mul(coefR).expandDims(1)));
                if (anyClip) next = clamp(next, sIn.expandDims(1), clipR.expandDims(3), s4, value);
                eIn.intern(next.reshape((long) N * I, H));
                if (rec) {
                    NDArray pn = NDArrays.stack(new NDList(prevs), 2).reshape(N, T, H).transpose(0, 2, 1);
                    updateRecurrent(atEntries(pn.batchMatMul(dn).reshape(R, B, (long) H * H)), sRecAt, s4, value);
                }
                for (int n = 0; n < N; n++) scale[n] *= gamma[n / B];
            }
        }

        // ---- slow weights: Σ over characters and sequences, mean over the B sequences, after the complete sequences
        NDArray D = NDArrays.concat(new NDList(deltas), 1);                                   // (R, T·B, H)
        NDArray E = NDArrays.concat(new NDList(errors), 1);                                   // (R, T·B, V)
        NDArray Hs = NDArrays.concat(new NDList(hiddens), 1);                                 // (R, T·B, H)
        NDArray Hprev = rec ? NDArrays.concat(new NDList(prevs), 1) : null;
        if (train) {
            NDList gIn = m.create(lay.xLr, new Shape(R, I, TB)).batchMatMul(D).split(new long[]{V}, 1);   // lr·Σ [x;1] ⊗ δ: (R, V, H), (R, 1, H)
            applySlow("input.weight", gIn.get(0), null, clipR, m);
            applySlow("input.bias", gIn.get(1), null, clipR, m);
            if (rec) applySlow("recurrent.weight", Hprev.transpose(0, 2, 1).batchMatMul(D), lrMean, clipR, m);
            applySlow("output.weight", Hs.transpose(0, 2, 1).batchMatMul(E), lrMean, clipR, m);
            applySlow("output.bias", E.sum(new int[]{1}, true), lrMean, clipR, m);
            if (anyClip && !value && hasEphemeral) {   // S moved: keep S + E inside [−clip, clip]
                NDArray sNew = params.get("input.weight").concat(params.get("input.bias"), 1).expandDims(1);
                NDArray sEnd = hostScale(m, new Shape(R, B, 1, 1));
                eIn.intern(clamp(eIn.reshape(R, B, I, H), sNew, clipR.expandDims(3), sEnd, false).reshape((long) N * I, H));
                if (rec) eRec.intern(clamp(eRec.reshape(R, B, H, P), atEntries(params.get("recurrent.weight").reshape(R, 1, (long) H * H)),
                        clipR.expandDims(3), sEnd, false).reshape(N, H, P));
            }
        }
        if (StepLayout.min(scale) < RENORMALISE_BELOW) {
            renormalise(scale);
            Arrays.fill(scale, 1);
        }

        return metrics(data, NDArrays.concat(new NDList(logits), 1).logSoftmax(2), X, D, E, Hs, Hprev);
    }

    private double[] clipHost() {
        return runs.stream().mapToDouble(RunConfig::clip).toArray();
    }

    /** The current decay scales as a device array of the given shape (R·B numbers). */
    private NDArray hostScale(NDManager m, Shape shape) {
        return perSequence(m, scale, shape);
    }

    private static NDArray perSequence(NDManager m, double[] v, Shape shape) {
        float[] f = new float[v.length];
        for (int n = 0; n < v.length; n++) f[n] = (float) v[n];
        return m.create(f, shape);
    }

    /** {@code Ẽ_rec += outer ⊙ (−lr·α)} at the stored entries, {@code outerScaled} (R, B, H, P), then clipping. */
    private void updateRecurrent(NDArray outerScaled, NDArray sRecAt, NDArray s4, boolean value) {
        NDArray next = eRec.reshape(R, B, H, P).add(outerScaled.mul(coefRec));
        if (anyClip) next = clamp(next, sRecAt, clipR.expandDims(3), s4, value);
        eRec.intern(next.reshape(N, H, P));
    }

    /** The stored entries of H×H matrices given flat, {@code (R, b, H·H)} → {@code (R, b, H, P)}. */
    private NDArray atEntries(NDArray flat) {
        long b = flat.getShape().get(1);
        return flat.gather(recAt.broadcast(R, b, (long) H * P), 2).reshape(R, b, H, P);
    }

    /** Ẽ_rec as dense (R·B, H, H) matrices (layout {@code h W}), zeros off the plastic entries. */
    private NDArray denseRecurrent(NDManager m) {
        return m.zeros(new Shape(R, B, (long) H * H)).scatter(recAt.broadcast(R, B, (long) H * P), eRec.reshape(R, B, (long) H * P), 2).reshape(N, H, H);
    }

    /** Clamps lazily-scaled ephemeral values {@code next} (R,B,·,·) so that the effective weight lies in [−c, c]. */
    private static NDArray clamp(NDArray next, NDArray slow, NDArray c, NDArray s, boolean value) {
        if (value) {
            NDArray hi = c.div(s);
            return next.minimum(hi).maximum(hi.neg());
        }
        return next.minimum(c.sub(slow).div(s)).maximum(c.neg().sub(slow).div(s));
    }

    /** {@code p ← p − lr · grad} ({@code lr} null: the gradient already carries it), then clipping; a frozen run is left alone. */
    private void applySlow(String name, NDArray grad, NDArray lr, NDArray clipR, NDManager m) {
        NDArray p = params.get(name);
        NDArray step = lr == null ? grad : grad.mul(lr);
        boolean allLive = true;
        for (boolean l : live) allLive &= l;
        if (!allLive) {   // a frozen run's NaN gradient must not touch it (NaN · 0 = NaN)
            NDArray liveMask = m.create(live).reshape(R, 1, 1).broadcast(p.getShape());
            step = NDArrays.where(liveMask, step, step.zerosLike());
        }
        p.subi(step);
        if (anyClip) p.intern(p.minimum(clipR).maximum(clipR.neg()));
    }

    private Map<String, float[]> metrics(CharBatch data, NDArray logp, NDArray X, NDArray D, NDArray E, NDArray Hs, NDArray P) {
        int T = data.length(), TB = T * B;
        // Per position p = r·T·B + t·B + b, the squared norms' parts are reduced on the device (O(H)
        // per position, threaded) and read back with the log-probabilities in two transfers.
        NDArray d2 = D.square();
        NDList parts = new NDList(d2.sum(new int[]{2}),                                        // ‖δ‖²
                d2.batchMatMul(maskInT).mul(X).sum(new int[]{2}),                              // Σ_ij M_ij u_j² δ_i² (u one-hot: u² = u)
                E.square().sum(new int[]{2}), Hs.square().sum(new int[]{2}));                  // ‖e‖², ‖h‖²
        if (P != null) {
            NDArray p2 = P.square();
            parts.add(p2.sum(new int[]{2}));                                                   // ‖h_{t−1}‖²
            parts.add(p2.matMul(maskRec).mul(d2).sum(new int[]{2}));                           // Σ_ij M_ij h_j² δ_i²
        }
        float[] part = NDArrays.stack(parts, 0).toFloatArray(), lp = logp.toFloatArray();
        int L = R * TB;
        float[] lossPos = new float[L], hi = new float[L], lo = new float[L];
        int[] pred = new int[L];
        for (int r = 0; r < R; r++)
            for (int b = 0; b < B; b++)
                for (int t = 0; t < T; t++) {
                    int p = r * TB + t * B + b, k = (r * B + b) * T + t;
                    int best = 0;
                    for (int v = 1; v < V; v++) if (lp[p * V + v] > lp[p * V + best]) best = v;
                    pred[p] = best;
                    lossPos[p] = -lp[p * V + data.target()[k]];
                    float dd = part[p], high = part[L + p], ee = part[2 * L + p], hh = part[3 * L + p];
                    float total = 2 * dd;                                                      // ‖[x;1]‖² = 2
                    if (P != null) {
                        total += dd * part[4 * L + p];
                        high += part[5 * L + p];
                    }
                    hi[p] = high;
                    lo[p] = total - high + ee * (hh + 1);                                      // + output layer ‖e‖²(‖h‖² + 1)
                }
        float[] ephMax = new float[R];
        if (hasEphemeral) {   // max |s Ẽ| per run (s > 0), from the largest and smallest entries (no |·| copy)
            NDArray e = eIn.reshape(N, (long) I * H);
            float[] mm = e.max(new int[]{1}).concat(e.min(new int[]{1}).neg()).toFloatArray();
            for (int n = 0; n < N; n++) ephMax[n / B] = (float) Math.max(ephMax[n / B], Math.max(mm[n], mm[N + n]) * scale[n]);
        }

        float[] loss = new float[R], acc = new float[R], memAcc = new float[R], gHigh = new float[R], gLow = new float[R], ratio = new float[R];
        for (int r = 0; r < R; r++) {
            double l = 0, gh = 0, gl = 0;
            int n = 0, ok = 0, nm = 0, okm = 0;
            for (int b = 0; b < B; b++)
                for (int t = 0; t < T; t++) {
                    int k = (r * B + b) * T + t;   // CharBatch order
                    int p = r * TB + t * B + b;    // the step's arrays are run-major
                    if (!data.valid()[k]) continue;
                    n++;
                    l += lossPos[p];
                    gh += Math.sqrt(Math.max(0, hi[p]));
                    gl += Math.sqrt(Math.max(0, lo[p]));
                    boolean correct = pred[p] == data.target()[k];
                    if (correct) ok++;
                    if (data.memory()[k]) {
                        nm++;
                        if (correct) okm++;
                    }
                }
            loss[r] = (float) (l / n);
            acc[r] = (float) ok / n;
            memAcc[r] = nm == 0 ? Float.NaN : (float) okm / nm;
            gHigh[r] = (float) (gh / n);
            gLow[r] = (float) (gl / n);
            ratio[r] = gLow[r] > 0 ? gHigh[r] / gLow[r] : Float.NaN;
        }
        Map<String, float[]> out = new LinkedHashMap<>();
        out.put(LOSS, loss);
        out.put(ACCURACY, acc);
        out.put(MEMORY_ACCURACY, memAcc);
        out.put(GRAD_HIGH, gHigh);
        out.put(GRAD_LOW, gLow);
        out.put(GRAD_RATIO, ratio);
        out.put(EPHEMERAL_MAX, ephMax);
        return out;
    }

    /** Folds the lazy decay scales {@code s} into the stored values, {@code Ẽ ← s Ẽ}; the caller sets s to 1. */
    private void renormalise(double[] s) {
        try (NDManager tmp = state.newSubManager()) {
            NDArray sn = perSequence(tmp, s, new Shape(N, 1, 1));
            eIn.reshape(N, I, H).muli(sn);   // a view of eIn: scales it in place
            if (eRec != null) eRec.muli(sn);
        }
    }

    /**
     * Sets the ephemeral weights of every sequence to their reset value: 0, or with
     * {@link DecayTarget#VALUE} at construction, the initial values of the high-plasticity weights.
     */
    private void resetEphemeral(boolean initial) {
        Arrays.fill(scale, 1);
        if (initial && cfg.decayTarget() == DecayTarget.VALUE && hasEphemeral) {
            try (NDManager tmp = state.newSubManager()) {
                tmp.tempAttachAll(params.arrays());
                tmp.tempAttachAll(longLived.toArray(new NDArray[0]));
                NDArray sIn = params.get("input.weight").concat(params.get("input.bias"), 1);
                NDArray init = sIn.mul(maskIn).expandDims(1).broadcast(R, B, I, H).reshape((long) N * I, H);
                eIn.set(new NDIndex(":"), init);
                if (eRec != null)
                    eRec.set(new NDIndex(":"), atEntries(params.get("recurrent.weight").reshape(R, 1, (long) H * H)).mul(recPlastic).broadcast(R, B, H, P).reshape(N, H, P));
            }
        } else {   // swap in fresh arrays: cheaper than filling in place
            NDManager owner = eIn.getManager();
            eIn.intern(owner.zeros(eIn.getShape()));
            if (eRec != null) eRec.intern(owner.zeros(eRec.getShape()));
        }
    }

    /** The ephemeral part {@code E} of every sequence's hidden-layer input weights, true values, {@code (R, B, V+1, H)} row-major (row V = bias). */
    float[] ephemeralInput() {
        try (NDManager tmp = state.newSubManager()) {
            tmp.tempAttachAll(eIn);
            NDArray e = eIn.reshape(N, I, H).mul(hostScale(tmp, new Shape(N, 1, 1)));
            return e.toFloatArray();
        }
    }

    /** The ephemeral part of every sequence's recurrent weights, {@code (R, B, H, H)} (layout {@code h W}). */
    float[] ephemeralRecurrent() {
        try (NDManager tmp = state.newSubManager()) {
            tmp.tempAttachAll(eRec, recAt);
            NDArray e = denseRecurrent(tmp).mul(hostScale(tmp, new Shape(N, 1, 1)));
            return e.toFloatArray();
        }
    }

    /**
     * Everything a step changes, for a {@link Checkpoint}: which runs are live, the lazy decay
     * scales, the slow weights (by name, row-major) and the stored ephemeral values (Ẽ_in, and Ẽ_rec
     * at its plastic entries, empty without recurrence). Masks, feedback matrices and the per-run
     * numbers are not in it: they follow from the runs' seeds and settings. The slow update is plain
     * SGD, {@code S ← S − lr·g}: there is no optimiser state beyond this.
     */
    record State(boolean[] live, double[] scale, Map<String, float[]> slow, float[] eIn, float[] eRec) {}

    /** A copy of the model's state ({@link State}). */
    State snapshot() {
        Map<String, float[]> slow = new LinkedHashMap<>();
        params.all().forEach((k, v) -> slow.put(k, v.toFloatArray()));
        return new State(live.clone(), scale.clone(), slow, eIn.toFloatArray(), eRec == null ? new float[0] : eRec.toFloatArray());
    }

    /**
     * Puts the model back into {@code s}, taken from a model of the same settings and runs.
     *
     * @throws IllegalArgumentException when a part has another size than this model's (the caller
     *         checks the settings first; this is the last line of defence)
     */
    void restore(State s) {
        if (s.live().length != R || s.scale().length != N)
            throw new IllegalArgumentException("state has " + s.live().length + " runs × " + s.scale().length / Math.max(1, s.live().length)
                    + " sequences, the model " + R + " × " + B);
        if (!s.slow().keySet().equals(params.all().keySet()))
            throw new IllegalArgumentException("state has slow weights " + s.slow().keySet() + ", the model " + params.all().keySet());
        sameSize("eIn", s.eIn(), eIn);
        if (eRec != null) sameSize("eRec", s.eRec(), eRec);
        else if (s.eRec().length != 0) throw new IllegalArgumentException("state has recurrent ephemeral weights, the model no recurrence");
        for (Map.Entry<String, NDArray> e : params.all().entrySet()) {
            sameSize(e.getKey(), s.slow().get(e.getKey()), e.getValue());
            e.getValue().set(java.nio.FloatBuffer.wrap(s.slow().get(e.getKey())));
        }
        eIn.set(java.nio.FloatBuffer.wrap(s.eIn()));
        if (eRec != null) eRec.set(java.nio.FloatBuffer.wrap(s.eRec()));
        System.arraycopy(s.scale(), 0, scale, 0, N);
        System.arraycopy(s.live(), 0, live, 0, R);
        refreshRunNumbers();
    }

    private static void sameSize(String what, float[] values, NDArray into) {
        if (values.length != into.getShape().size())
            throw new IllegalArgumentException("state's " + what + " has " + values.length + " values, the model's " + into.getShape());
    }

    /** The 0/1 plasticity mask of the input weights and bias, {@code (R, V+1, H)}. */
    float[] inputMask() { return maskIn.toFloatArray(); }

    /** The 0/1 plasticity mask of the recurrent weights, {@code (R, H, H)}. */
    float[] recurrentMask() { return maskRec.toFloatArray(); }

    /** The feedback matrices, {@code (R, V, H)}. */
    float[] feedbackMatrix() { return feedback.toFloatArray(); }

    /** Number of runs R. */
    public int runCount() { return R; }

    /** Vocabulary size V. */
    public int vocab() { return V; }

    @Override
    public void close() {
        params.close();
    }
}
