package memlab.ephemeral;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
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
 *   h_t = ReLU(W_xh x_t [+ W_hh h_{t-1}] + b_h)        (recurrence switchable; ephemeral model: off)
 *   y_t = softmax(W_hy h_t + b_y),   L_t = −log y_t[target]
 * </pre>
 * <b>Plasticity</b> (Eq. 5): a random {@code fraction} of the entries of {@code W_xh, b_h, W_hh}
 * (never the output layer) is ephemeral with plasticity α; every update is
 * {@code w_k ← w_k − lr · α_k · g_k} with the updater's gradient {@code g} ({@link Updater}).
 * <b>Decay</b> (Eq. 6): after every update each ephemeral weight decays, {@code E ← γ E}
 * ({@code γ} = {@link RunConfig#forgetRate()}); what {@code E} is — the whole value or the deviation
 * from a slow baseline — is set by {@link DecayTarget}. <b>Clipping</b>: after every update, every
 * weight is clipped to {@code [−clip, clip]}.
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
 * gathered and written back; decay is kept lazily as a per-sequence scale ({@code E = s · Ẽ},
 * {@code s ← γ s}), so a character costs O(R·B·H) rather than O(R·B·V·H) (plus O(R·B·H²) for
 * recurrence). A single small run is bound by the number of operations, not by arithmetic, so the
 * step prepares everything that does not depend on the previous character at once and reads its
 * metrics back in a few transfers (see {@code runStep}).
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

    private final ModelConfig cfg;
    private final List<RunConfig> runs;
    private final int R, B, N, V, H, I;
    private final boolean hasEphemeral, anyClip;
    private final boolean[] live;
    private final ParamSet params;
    private final NDManager state;
    private final NDArray maskIn, maskInFlat, keepIn, maskRec, keepRec, feedback;
    private final NDArray eIn, eRec, scale;
    private final List<NDArray> longLived = new ArrayList<>();
    /** Per-run numbers on the device, (R, 1, 1) each, and −lr·α on the plastic input entries; rebuilt when a run is frozen. */
    private NDArray coefR, clipR, lrMean, gammaR, coefIn;
    private double scaleLowerBound = 1;

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
        state = params.manager().newSubManager();

        float[] mi = new float[R * I * H];
        for (int r = 0; r < R; r++)
            System.arraycopy(PlasticityMask.draw(seeds[r], "input", I * H, runs.get(r).fraction()), 0, mi, r * I * H, I * H);
        maskIn = keep(state.create(mi, new Shape(R, I, H)));
        maskInFlat = keep(maskIn.reshape(R * I, H));
        keepIn = keep(maskIn.neg().add(1f));
        if (config.recurrence()) {
            float[] mr = new float[R * H * H];
            for (int r = 0; r < R; r++)
                System.arraycopy(PlasticityMask.draw(seeds[r], "recurrent", H * H, runs.get(r).fraction()), 0, mr, r * H * H, H * H);
            maskRec = keep(state.create(mr, new Shape(R, H, H)));
            keepRec = keep(maskRec.neg().add(1f));
        } else {
            maskRec = null;
            keepRec = null;
        }
        float[] fb = new float[R * V * H];
        for (int r = 0; r < R; r++) System.arraycopy(FeedbackMatrix.draw(seeds[r], V, H), 0, fb, r * V * H, V * H);
        feedback = keep(state.create(fb, new Shape(R, V, H)));

        eIn = keep(state.zeros(new Shape((long) N * I, H)));
        eRec = config.recurrence() ? keep(state.zeros(new Shape(N, H, H))) : null;
        scale = keep(state.ones(new Shape(R, B, 1)));
        refreshRunNumbers();
        resetEphemeral(true);
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
        float[] lr = new float[R], coef = new float[R], clip = new float[R], gamma = new float[R];
        for (int r = 0; r < R; r++) {
            RunConfig rc = runs.get(r);
            gamma[r] = live[r] ? (float) rc.forgetRate() : 1f;
            lr[r] = live[r] ? (float) (rc.lr() / B) : 0f;   // slow gradients are means over the B sequences
            coef[r] = live[r] ? (float) (-rc.lr() * rc.plasticity()) : 0f;
            clip[r] = (float) rc.clip();
        }
        for (NDArray old : runNumbers()) if (old != null) old.close();
        lrMean = state.create(lr, new Shape(R, 1, 1));
        gammaR = state.create(gamma, new Shape(R, 1, 1));
        coefR = state.create(coef, new Shape(R, 1, 1));
        clipR = state.create(clip, new Shape(R, 1, 1));
        try (NDManager tmp = state.newSubManager()) {
            tmp.tempAttachAll(maskInFlat, coefR);
            coefIn = maskInFlat.mul(coefR.broadcast(R, I, 1).reshape((long) R * I, 1));
            coefIn.attach(state);
        }
    }

    private NDArray[] runNumbers() {
        return new NDArray[]{coefR, clipR, lrMean, gammaR, coefIn};
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
            NDArray[] saved = train ? null : new NDArray[]{eIn.duplicate(), eRec == null ? null : eRec.duplicate(), scale.duplicate()};
            double savedBound = scaleLowerBound;
            if (cfg.resetEachSequence()) resetEphemeral(false);
            Map<String, float[]> metrics = runStep(m, data, train);
            if (saved != null) {
                eIn.intern(saved[0]);
                if (eRec != null) eRec.intern(saved[1]);
                scale.intern(saved[2]);
                scaleLowerBound = savedBound;
            }
            return metrics;
        }
    }

    /*
     * Layout. A character of a small model costs a few microseconds of arithmetic but several
     * microseconds of overhead per operation (more for indexing), so everything that does not depend
     * on the previous character is prepared once per step and cut into per-character pieces with one
     * split. Per-position arrays are time-major, (T·R, B, ·) with position p = t·N + n (n = r·B + b),
     * so that a split along the first axis yields the (R, B, ·) piece of character t directly.
     */
    private Map<String, float[]> runStep(NDManager m, CharBatch data, boolean train) {
        final int T = data.length();
        final boolean rec = cfg.recurrence();
        final boolean perChar = cfg.updater().perCharacter();
        final boolean value = cfg.decayTarget() == DecayTarget.VALUE;
        final long TR = (long) T * R;

        // ---- per-step constants: per-run numbers, one-hot data, row indices
        float[] gamma = new float[R];
        double minGamma = 1;
        for (int r = 0; r < R; r++) {
            gamma[r] = live[r] ? (float) runs.get(r).forgetRate() : 1f;
            if (live[r]) minGamma = Math.min(minGamma, runs.get(r).forgetRate());
        }
        float[] x = new float[T * N * I], y = new float[T * N * V], valid = new float[T * N], gammaT = new float[T * N];
        long[] eIdx = new long[T * 2 * N], mIdx = new long[T * 2 * N];
        boolean[] allValid = new boolean[T];
        Arrays.fill(allValid, true);
        boolean padded = false;
        for (int n = 0; n < N; n++) {
            int r = n / B;
            for (int t = 0; t < T; t++) {
                int k = n * T + t, p = t * N + n;       // k: CharBatch order (r, b, t); p: time-major
                int c = data.input()[k];
                x[p * I + c] = 1f;
                x[p * I + V] = 1f;
                if (data.valid()[k]) {
                    y[p * V + data.target()[k]] = 1f;
                    valid[p] = 1f;
                } else {
                    allValid[t] = false;
                    padded = true;
                }
                gammaT[p] = data.valid()[k] ? gamma[r] : 1f;
                // E's rows of sequence n, the character's and the bias, as (2, N) per character
                eIdx[t * 2 * N + n] = (long) n * I + c;
                eIdx[t * 2 * N + N + n] = (long) n * I + V;
                mIdx[t * 2 * N + n] = (long) r * I + c;  // the same rows of the run's mask
                mIdx[t * 2 * N + N + n] = (long) r * I + V;
            }
        }
        NDArray X = m.create(x, new Shape(T, R, B, I));
        NDArray Y = m.create(y, new Shape(TR, B, V));

        NDArray sIn = params.get("input.weight").concat(params.get("input.bias"), 1);   // (R, I, H)
        NDArray sInEff = value ? sIn.mul(keepIn) : sIn;
        NDArray wOut = params.get("output.weight"), bOut = params.get("output.bias");
        NDArray wOutT = cfg.updater() == Updater.DFA && perChar ? null : wOut.transpose(0, 2, 1);   // (R, V, H)
        NDArray back = cfg.updater() == Updater.DFA ? feedback : wOutT;
        NDArray sRec = rec ? params.get("recurrent.weight") : null;
        NDArray sRecEff = rec ? (value ? sRec.mul(keepRec) : sRec) : null;
        NDArray coefRec = rec && hasEphemeral ? maskRec.mul(coefR).expandDims(1) : null;      // (R, 1, H, H)

        // per-character pieces, (R, B, ·) each
        NDList aSlowT = X.matMul(sInEff).reshape(TR, B, H).split(T);                        // [x;1]·S_eff, all characters at once
        NDList yT = Y.split(T);
        NDList validT = padded ? m.create(valid, new Shape(TR, B, 1)).split(T) : null;
        NDList rowsAt = null, rowsIdx = null, coefRowsT = null, sRowsT = null, gammaPerChar = null;
        if (hasEphemeral) {
            NDArray eIdxA = m.create(eIdx);
            rowsAt = eIdxA.reshape((long) T * 2 * N, 1).broadcast((long) T * 2 * N, H).split(T);   // gather index (2·N, H)
            if (perChar) {
                rowsIdx = eIdxA.split(T);                                                          // scatter index (2N)
                if (padded) gammaPerChar = m.create(gammaT, new Shape(TR, B, 1)).split(T);   // no decay after a sequence's end
                NDArray mAt = m.create(mIdx).reshape((long) T * 2 * N, 1).broadcast((long) T * 2 * N, H);
                coefRowsT = coefIn.gather(mAt, 0).reshape(2L * T, R, B, H).split(T);               // (2, R, B, H) per character
                if (anyClip && !value) sRowsT = sIn.reshape((long) R * I, H).gather(mAt, 0).reshape(2L * T, R, B, H).split(T);
            }
        }

        // ---- characters
        List<NDArray> deltas = new ArrayList<>(T), errors = new ArrayList<>(T), hiddens = new ArrayList<>(T),
                prevs = new ArrayList<>(T), logits = new ArrayList<>(T), derivs = new ArrayList<>(T);
        NDArray hPrev = rec ? m.zeros(new Shape(R, B, H)) : null;
        for (int t = 0; t < T; t++) {
            if (perChar && hasEphemeral && scaleLowerBound < RENORMALISE_BELOW) renormalise();
            NDArray a = aSlowT.get(t);
            NDArray rows = null;
            if (hasEphemeral) {
                rows = eIn.gather(rowsAt.get(t), 0).reshape(2, R, B, H);
                a = a.add(rows.sum(new int[]{0}).mul(scale));
            }
            if (rec) {
                a = a.add(hPrev.batchMatMul(sRecEff));
                if (hasEphemeral)
                    a = a.add(hPrev.reshape(N, 1, H).batchMatMul(eRec).reshape(R, B, H).mul(scale));
            }
            NDArray h = Activation.relu(a);
            NDArray deriv = h.sign();
            NDArray z = h.batchMatMul(wOut).add(bOut);
            NDArray e = z.softmax(2).sub(yT.get(t));                                       // ∂L/∂z = softmax(z) − y
            if (!allValid[t]) e = e.mul(validT.get(t));   // no error where a sequence has already ended
            if (perChar) {
                NDArray delta = e.batchMatMul(back).mul(deriv);
                deltas.add(delta);
                if (hasEphemeral) {
                    NDArray dScaled = delta.div(scale);
                    NDArray next = rows.add(coefRowsT.get(t).mul(dScaled));
                    if (anyClip) {
                        NDArray hi, lo;
                        if (value) {
                            hi = clipR.div(scale);
                            lo = hi.neg();
                        } else {
                            hi = clipR.sub(sRowsT.get(t)).div(scale);
                            lo = clipR.neg().sub(sRowsT.get(t)).div(scale);
                        }
                        next = next.minimum(hi).maximum(lo);
                    }
                    eIn.set(new NDIndex("{}", rowsIdx.get(t)), next.reshape(2L * N, H));
                    if (rec) updateRecurrent(hPrev.reshape(N, H, 1).batchMatMul(dScaled.reshape(N, 1, H)).reshape(R, B, H, H), coefRec, sRec, clipR, value);
                    scale.muli(allValid[t] ? gammaR : gammaPerChar.get(t));
                }
            } else {
                derivs.add(deriv);
            }
            errors.add(e);
            hiddens.add(h);
            if (rec) prevs.add(hPrev);
            logits.add(z);
            hPrev = h;
            if (perChar && hasEphemeral) scaleLowerBound *= minGamma;
        }

        // ---- BPTT: backward through time with the (fixed) weights of each sequence, then the ephemeral update
        if (!perChar) {
            NDArray[] d = new NDArray[T];
            NDArray sRecEffT = rec ? sRecEff.transpose(0, 2, 1) : null;
            NDArray eRecT = rec && hasEphemeral ? eRec.transpose(0, 2, 1) : null;
            for (int t = T - 1; t >= 0; t--) {
                NDArray g = errors.get(t).batchMatMul(wOutT);
                if (rec && t < T - 1) {
                    g = g.add(d[t + 1].batchMatMul(sRecEffT));
                    if (eRecT != null) g = g.add(d[t + 1].reshape(N, 1, H).batchMatMul(eRecT).reshape(R, B, H).mul(scale));
                }
                d[t] = g.mul(derivs.get(t));
            }
            deltas.addAll(Arrays.asList(d));
            if (hasEphemeral) {
                NDArray dn = NDArrays.stack(new NDList(deltas), 2).reshape(N, T, H).div(scale.reshape(N, 1, 1));
                NDArray xn = X.reshape(T, N, I).transpose(1, 2, 0);                          // (N, I, T)
                NDArray gIn = xn.batchMatMul(dn).reshape(R, B, I, H);                          // Σ_t u ⊗ δ / s
                NDArray next = eIn.reshape(R, B, I, H).add(gIn.mul(maskIn.mul(coefR).expandDims(1)));
                if (anyClip) next = clamp(next, sIn.expandDims(1), clipR.expandDims(3), scale.expandDims(3), value);
                eIn.set(new NDIndex(":"), next.reshape((long) N * I, H));
                if (rec) {
                    NDArray pn = NDArrays.stack(new NDList(prevs), 2).reshape(N, T, H).transpose(0, 2, 1);
                    updateRecurrent(pn.batchMatMul(dn).reshape(R, B, H, H), coefRec, sRec, clipR, value);
                }
                scale.muli(gammaR);
                scaleLowerBound *= minGamma;
            }
        }

        // ---- slow weights: Σ_t, mean over the B sequences, after the complete sequences; (T, R, B, ·) arrays
        NDArray D = NDArrays.stack(new NDList(deltas), 0);
        NDArray E = NDArrays.stack(new NDList(errors), 0);
        NDArray Hs = NDArrays.stack(new NDList(hiddens), 0);
        NDArray P = rec ? NDArrays.stack(new NDList(prevs), 0) : null;
        if (train) {
            NDList gIn = outerSum(X, D).split(new long[]{V}, 1);                              // (R, V, H) and (R, 1, H)
            applySlow("input.weight", gIn.get(0), lrMean, clipR, m);
            applySlow("input.bias", gIn.get(1), lrMean, clipR, m);
            if (rec) applySlow("recurrent.weight", outerSum(P, D), lrMean, clipR, m);
            applySlow("output.weight", outerSum(Hs, E), lrMean, clipR, m);
            applySlow("output.bias", E.sum(new int[]{0, 2}).expandDims(1), lrMean, clipR, m);
            if (anyClip && !value && hasEphemeral) {   // S moved: keep S + E inside [−clip, clip]
                NDArray sNew = params.get("input.weight").concat(params.get("input.bias"), 1).expandDims(1);
                NDArray cl = clamp(eIn.reshape(R, B, I, H), sNew, clipR.expandDims(3), scale.expandDims(3), false);
                eIn.set(new NDIndex(":"), cl.reshape((long) N * I, H));
                if (rec) {
                    NDArray clr = clamp(eRec.reshape(R, B, H, H), sRec.expandDims(1), clipR.expandDims(3), scale.expandDims(3), false);
                    eRec.set(new NDIndex(":"), clr.reshape(N, H, H));
                }
            }
        }
        if (scaleLowerBound < RENORMALISE_BELOW) renormalise();

        return metrics(data, NDArrays.stack(new NDList(logits), 0).logSoftmax(3), X, D, E, Hs, P);
    }

    /** {@code Σ_{t,b} a_{t,r,b} ⊗ d_{t,r,b}} per run, for (T, R, B, ·) arrays: {@code (R, a, d)}. */
    private static NDArray outerSum(NDArray a, NDArray d) {
        return a.transpose(0, 1, 3, 2).matMul(d).sum(new int[]{0});
    }

    private void updateRecurrent(NDArray outerScaled, NDArray coefRec, NDArray sRec, NDArray clipR, boolean value) {
        NDArray next = eRec.reshape(R, B, H, H).add(outerScaled.mul(coefRec));
        if (anyClip) next = clamp(next, sRec.expandDims(1), clipR.expandDims(3), scale.expandDims(3), value);
        eRec.set(new NDIndex(":"), next.reshape(N, H, H));
    }

    /** Clamps lazily-scaled ephemeral values {@code next} (R,B,·,·) so that the effective weight lies in [−c, c]. */
    private static NDArray clamp(NDArray next, NDArray slow, NDArray c, NDArray s, boolean value) {
        if (value) {
            NDArray hi = c.div(s);
            return next.minimum(hi).maximum(hi.neg());
        }
        return next.minimum(c.sub(slow).div(s)).maximum(c.neg().sub(slow).div(s));
    }

    private void applySlow(String name, NDArray grad, NDArray lr, NDArray clipR, NDManager m) {
        NDArray p = params.get(name);
        NDArray step = grad.mul(lr);
        boolean allLive = true;
        for (boolean l : live) allLive &= l;
        if (!allLive) {   // a frozen run's NaN gradient must not touch it (NaN · 0 = NaN)
            NDArray liveMask = m.create(live).reshape(R, 1, 1).broadcast(p.getShape());
            step = NDArrays.where(liveMask, step, step.zerosLike());
        }
        p.subi(step);
        if (anyClip) p.set(new NDIndex(":"), p.minimum(clipR).maximum(clipR.neg()));
    }

    private Map<String, float[]> metrics(CharBatch data, NDArray logp, NDArray X, NDArray D, NDArray E, NDArray Hs, NDArray P) {
        int T = data.length();
        // Per position p = t·N + n, the squared norms' parts are reduced on the device (O(H) per
        // position, threaded) and read back with the log-probabilities in two transfers.
        NDArray d2 = D.square();
        NDList parts = new NDList(d2.sum(new int[]{3}),                                        // ‖δ‖²
                X.matMul(maskIn).mul(d2).sum(new int[]{3}),                                    // Σ_ij M_ij u_j² δ_i² (u one-hot: u² = u)
                E.square().sum(new int[]{3}), Hs.square().sum(new int[]{3}));                  // ‖e‖², ‖h‖²
        if (P != null) {
            NDArray p2 = P.square();
            parts.add(p2.sum(new int[]{3}));                                                   // ‖h_{t−1}‖²
            parts.add(p2.matMul(maskRec).mul(d2).sum(new int[]{3}));                           // Σ_ij M_ij h_j² δ_i²
        }
        float[] part = NDArrays.stack(parts, 0).toFloatArray(), lp = logp.toFloatArray();
        int L = T * N;
        float[] lossPos = new float[L], hi = new float[L], lo = new float[L];
        int[] pred = new int[L];
        for (int t = 0; t < T; t++)
            for (int n = 0; n < N; n++) {
                int p = t * N + n, k = n * T + t;
                int best = 0;
                for (int v = 1; v < V; v++) if (lp[p * V + v] > lp[p * V + best]) best = v;
                pred[p] = best;
                lossPos[p] = -lp[p * V + data.target()[k]];
                float dd = part[p], high = part[L + p], ee = part[2 * L + p], hh = part[3 * L + p];
                float total = 2 * dd;                                                          // ‖[x;1]‖² = 2
                if (P != null) {
                    total += dd * part[4 * L + p];
                    high += part[5 * L + p];
                }
                hi[p] = high;
                lo[p] = total - high + ee * (hh + 1);                                          // + output layer ‖e‖²(‖h‖² + 1)
            }
        float[] ephMax = new float[R];
        if (hasEphemeral) {   // max |s Ẽ| per run (s > 0)
            float[] m = eIn.reshape(N, (long) I * H).abs().max(new int[]{1}).toFloatArray(), s = scale.toFloatArray();
            for (int n = 0; n < N; n++) ephMax[n / B] = Math.max(ephMax[n / B], m[n] * s[n]);
        }

        float[] loss = new float[R], acc = new float[R], memAcc = new float[R], gHigh = new float[R], gLow = new float[R], ratio = new float[R];
        for (int r = 0; r < R; r++) {
            double l = 0, gh = 0, gl = 0;
            int n = 0, ok = 0, nm = 0, okm = 0;
            for (int b = 0; b < B; b++)
                for (int t = 0; t < T; t++) {
                    int k = (r * B + b) * T + t;   // CharBatch order
                    int p = t * N + r * B + b;     // the step's arrays are time-major
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

    /** Folds the lazy decay scale into the stored values: {@code Ẽ ← s Ẽ, s ← 1}. */
    private void renormalise() {
        eIn.muli(scale.reshape(N, 1, 1).broadcast(N, I, 1).reshape((long) N * I, 1));
        if (eRec != null) eRec.muli(scale.reshape(N, 1, 1));
        scale.set(new NDIndex(":"), 1f);
        scaleLowerBound = 1;
    }

    /**
     * Sets the ephemeral weights of every sequence to their reset value: 0, or with
     * {@link DecayTarget#VALUE} at construction, the initial values of the high-plasticity weights.
     */
    private void resetEphemeral(boolean initial) {
        scale.intern(scale.getManager().ones(scale.getShape()));
        scaleLowerBound = 1;
        if (initial && cfg.decayTarget() == DecayTarget.VALUE && hasEphemeral) {
            try (NDManager tmp = state.newSubManager()) {
                tmp.tempAttachAll(params.arrays());
                tmp.tempAttachAll(longLived.toArray(new NDArray[0]));
                NDArray sIn = params.get("input.weight").concat(params.get("input.bias"), 1);
                NDArray init = sIn.mul(maskIn).expandDims(1).broadcast(R, B, I, H).reshape((long) N * I, H);
                eIn.set(new NDIndex(":"), init);
                if (eRec != null)
                    eRec.set(new NDIndex(":"), params.get("recurrent.weight").mul(maskRec).expandDims(1).broadcast(R, B, H, H).reshape(N, H, H));
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
            tmp.tempAttachAll(eIn, scale);
            NDArray e = eIn.reshape(N, I, H).mul(scale.reshape(N, 1, 1));
            return e.toFloatArray();
        }
    }

    /** The ephemeral part of every sequence's recurrent weights, {@code (R, B, H, H)} (layout {@code h W}). */
    float[] ephemeralRecurrent() {
        try (NDManager tmp = state.newSubManager()) {
            tmp.tempAttachAll(eRec, scale);
            NDArray e = eRec.mul(scale.reshape(N, 1, 1));
            return e.toFloatArray();
        }
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
