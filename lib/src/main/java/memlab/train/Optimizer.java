package memlab.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDResource;
import ai.djl.ndarray.types.Shape;
import memlab.core.Check;
import memlab.core.Scalars;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * SGD, Adam and AdamW with global-norm gradient clipping, per run.
 *
 * <p>Every parameter carries a leading run dimension (see {@link ParamSet}); learning rate and
 * clipping threshold are per-run vectors, so one optimiser updates a whole batched sweep. Per run
 * {@code r}, with {@code g} all gradients of that run:
 * <pre>
 *   n_r   = sqrt( Σ_params Σ_elements g² )                     (reported, before clipping)
 *   c_r   = min(1, maxNorm_r / (n_r + 1e-6))                   (as torch.nn.utils.clip_grad_norm_)
 *   g    ← c_r · g
 *   SGD:   θ ← θ − lr_r · g
 *   Adam:  m ← β1 m + (1−β1) g ;  v ← β2 v + (1−β2) g² ;
 *          θ ← θ − (lr_r / (1−β1^t)) · m / (sqrt(v / (1−β2^t)) + ε)
 *   AdamW: θ ← θ (1 − lr_r λ), then the Adam step             (decoupled weight decay)
 * </pre>
 * These are PyTorch's formulas (torch.optim), so results compare one to one with a PyTorch script.
 * DJL's built-in clipping is element-wise; the papers clip the global norm, hence this class.
 *
 * <p>A run can be {@linkplain #freeze frozen} (e.g. after it diverged): its parameters and state
 * stop changing, even if its gradients are NaN, while the other runs go on.
 */
public final class Optimizer implements AutoCloseable {
    /** The update rule. */
    public enum Rule { SGD, ADAM, ADAMW }

    private final Rule rule;
    private final double[] lr;
    private final double[] maxNorm;
    private final boolean[] alive;
    private final double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
    private final double weightDecay;
    private NDArray[] adamState;          // Adam's m and v of each column block of all parameters side by side, (R, P_b); null before the first step
    private NDManager stateManager;
    private long t;

    private Optimizer(Rule rule, double[] lr, double[] maxNorm, double weightDecay) {
        this.rule = Check.oneOf("rule", rule, Rule.class);
        this.lr = Check.allPositive("lr", lr.clone());
        if (maxNorm.length != lr.length)
            throw new IllegalArgumentException("maxNorm has " + maxNorm.length + " entries but lr has " + lr.length + " (one per run)");
        for (double c : maxNorm) Check.nonNegative("maxNorm (use +Infinity for no clipping)", c);
        for (double c : maxNorm) if (c == 0) throw new IllegalArgumentException("maxNorm must be > 0 (use +Infinity for no clipping), got 0");
        this.maxNorm = maxNorm.clone();
        this.weightDecay = Check.nonNegative("weightDecay", weightDecay);
        this.alive = new boolean[lr.length];
        Arrays.fill(alive, true);
    }

    /** Plain SGD, one run. @param lr learning rate, {@code > 0} */
    public static Optimizer sgd(double lr) { return of(Rule.SGD, new double[]{lr}); }

    /** Adam (PyTorch defaults β = (0.9, 0.999), ε = 1e-8), one run. */
    public static Optimizer adam(double lr) { return of(Rule.ADAM, new double[]{lr}); }

    /** AdamW with PyTorch's default weight decay 0.01, one run. */
    public static Optimizer adamW(double lr) { return of(Rule.ADAMW, new double[]{lr}); }

    /**
     * An optimiser for {@code lr.length} runs, without clipping.
     *
     * @param rule the update rule
     * @param lr   learning rate of each run, every entry {@code > 0}
     */
    public static Optimizer of(Rule rule, double[] lr) {
        Check.oneOf("rule", rule, Rule.class);
        Check.nonEmpty("lr (one per run)", lr);
        double[] none = new double[lr.length];
        Arrays.fill(none, Double.POSITIVE_INFINITY);
        return new Optimizer(rule, lr, none, rule == Rule.ADAMW ? 0.01 : 0);
    }

    /** Parses {@code sgd}, {@code adam}, {@code adamw} (any case). */
    public static Rule rule(String name) {
        try {
            return Rule.valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("optimizer must be one of sgd, adam, adamw; got '" + name + "'");
        }
    }

    /** The same optimiser with global-norm clipping at {@code maxNorm} for every run ({@code +Infinity}: off). */
    public Optimizer clip(double maxNorm) {
        double[] c = new double[lr.length];
        Arrays.fill(c, maxNorm);
        return clip(c);
    }

    /** The same optimiser with a per-run clipping threshold ({@code +Infinity}: off for that run). */
    public Optimizer clip(double[] maxNorm) {
        return new Optimizer(rule, lr, maxNorm, weightDecay);
    }

    /** The same optimiser with decoupled weight decay λ (AdamW) or L2-free (others ignore it). */
    public Optimizer weightDecay(double lambda) {
        return new Optimizer(rule, lr, maxNorm, lambda);
    }

    /** The same settings for {@code runs} runs (from a one-run optimiser). */
    public Optimizer forRuns(int runs) {
        Check.positive("runs", runs);
        if (lr.length != 1) throw new IllegalStateException("forRuns needs a one-run optimizer; this one has " + lr.length);
        double[] l = new double[runs], c = new double[runs];
        Arrays.fill(l, lr[0]);
        Arrays.fill(c, maxNorm[0]);
        return new Optimizer(rule, l, c, weightDecay);
    }

    /** Number of runs this optimiser updates. */
    public int runs() { return lr.length; }

    /** The update rule. */
    public Rule rule() { return rule; }

    /** Stops updating run {@code r} (its parameters and state stay as they are). */
    public void freeze(int r) { alive[r] = false; }

    /** Whether run {@code r} is still updated. */
    public boolean isAlive(int r) { return alive[r]; }

    /** The optimiser's state arrays, for {@link Step#open}. */
    public NDResource[] state() {
        return adamState == null ? new NDResource[0] : adamState.clone();
    }

    /**
     * Clips and applies the gradients currently held by {@code params}, then zeroes them.
     * Call it inside a {@link Step} that holds the parameters and {@link #state()}.
     *
     * @return the global gradient norm of each run, before clipping
     */
    public float[] step(ParamSet params, NDManager m) {
        if (params.runs() != lr.length)
            throw new IllegalArgumentException("optimizer has " + lr.length + " runs but the parameters have " + params.runs());
        if (stateManager == null) stateManager = params.manager().newSubManager();
        t++;
        int runs = lr.length;
        // All gradients of a run side by side, (R, P): the update is then a dozen operations for the
        // whole model instead of a dozen per parameter (each operation has a fixed cost of a few µs,
        // which dominates at the sizes of the papers' models). Element by element it is the same maths.
        List<NDArray> params0 = new ArrayList<>(params.all().values());
        NDList flat = new NDList(params0.size());
        long[] cuts = new long[params0.size() - 1];
        long size = 0;
        for (int i = 0; i < params0.size(); i++) {
            NDArray g = params0.get(i).getGradient().reshape(runs, -1);
            flat.add(g);
            size += g.getShape().get(1);
            if (i < cuts.length) cuts[i] = size;
        }
        NDArray grad = flat.size() == 1 ? flat.get(0) : NDArrays.concat(flat, 1);          // (R, P)
        // A wide sweep's (R, P) arrays are tens of MB: each of the update's dozen passes would then stream
        // them through memory. Column blocks of about a cache's size keep a block's passes in cache (see
        // BLOCK_BYTES); a single run's model is one block, so nothing changes there.
        long[] blockCuts = blockCuts(runs, size, grad.getDataType().getNumOfBytes());
        NDList gradBlocks = blockCuts.length == 0 ? new NDList(grad) : grad.split(blockCuts, 1);
        NDArray sumSq = null;
        for (NDArray gb : gradBlocks) sumSq = sumSq == null ? gb.square().sum(new int[]{1}) : sumSq.addi(gb.square().sum(new int[]{1}));
        float[] norms = sumSq.sqrt().toFloatArray();

        float[] coef = new float[runs], rate = new float[runs], decay = new float[runs];
        boolean[] live = new boolean[runs];
        boolean plain = true, allLive = true;       // plain: every run alive and unclipped, g as it is
        for (int r = 0; r < runs; r++) {
            live[r] = alive[r];
            double n = norms[r];
            double c = Double.isInfinite(maxNorm[r]) ? 1 : Math.min(1, maxNorm[r] / (n + 1e-6));
            coef[r] = live[r] ? (float) c : 0f;
            rate[r] = live[r] ? (float) lr[r] : 0f;
            decay[r] = live[r] && rule == Rule.ADAMW ? (float) (1 - lr[r] * weightDecay) : 1f;
            plain &= live[r] && coef[r] == 1f;
            allLive &= live[r];
        }
        Shape column = new Shape(runs, 1);
        NDArray rateV = m.create(rate, column), decayV = m.create(decay), coefV = m.create(coef, column);
        NDArray liveV = allLive ? null : m.create(live).reshape(column);
        if (rule != Rule.SGD) {
            if (adamState == null) {
                adamState = new NDArray[2 * gradBlocks.size()];       // m then v of each block
                for (int i = 0; i < gradBlocks.size(); i++) {
                    Shape bs = gradBlocks.get(i).getShape();
                    adamState[2 * i] = stateManager.zeros(bs, grad.getDataType());
                    adamState[2 * i + 1] = stateManager.zeros(bs, grad.getDataType());
                }
                m.tempAttachAll(adamState); // like state() does for later steps
            } else if (adamState.length != 2 * gradBlocks.size() || !adamState[0].getShape().equals(gradBlocks.get(0).getShape()))
                throw new IllegalStateException("the parameters changed size since the first step: now " + grad.getShape());
        }
        double bc1 = 1 - Math.pow(beta1, t), bc2 = 1 - Math.pow(beta2, t);
        NDArray stepV = rule == Rule.SGD ? rateV : rateV.div(m.create(bc1));
        NDList updates = new NDList(gradBlocks.size());               // θ ← θ − update, block by block
        for (int i = 0; i < gradBlocks.size(); i++) {
            NDArray gb = gradBlocks.get(i);
            // frozen runs: their (possibly NaN) gradient replaced by 0 so the update leaves them untouched
            NDArray g = plain ? gb : allLive ? gb.mul(coefV)
                    : NDArrays.where(liveV.broadcast(gb.getShape()), gb.mul(coefV), gb.zerosLike());
            if (rule == Rule.SGD) {
                updates.add(g.mul(stepV));
                continue;
            }
            NDArray mean = adamState[2 * i], second = adamState[2 * i + 1];
            // constants as arrays made once (memlab.core.Scalars says why); the bias corrections change every step
            Scalars.muli(mean, beta1).addi(Scalars.mul(g, 1 - beta1));
            Scalars.muli(second, beta2).addi(Scalars.muli(g.square(), 1 - beta2));
            NDArray denom = Scalars.addi(second.div(m.create(bc2)).sqrt(), eps);
            updates.add(mean.div(denom).muli(stepV));
        }
        NDArray update = updates.size() == 1 ? updates.get(0) : NDArrays.concat(updates, 1);
        NDList parts = cuts.length == 0 ? new NDList(update) : update.split(cuts, 1);
        for (int i = 0; i < params0.size(); i++) {
            NDArray p = params0.get(i);
            if (rule == Rule.ADAMW) p.muli(decayV.reshape(broadcastShape(p.getShape())));
            p.subi(parts.get(i).reshape(p.getShape()));
        }
        params.zeroGrad();
        return norms;
    }

    /**
     * Bytes of one column block of the (R, P) update. Measured on one core, the Adam arithmetic of a
     * (60, 64820) float32 update (the NTM recipe grid's) took 60-69 ms a step as one block, 29-38 ms in
     * 16 blocks of about 1 MB and 35-53 ms in 64 blocks (each figure includes ~14 ms of drawing the
     * test gradient): below about 1 MB the per-operation costs take over.
     */
    static final long BLOCK_BYTES = 1L << 20;

    /** Where to cut P columns of R runs into blocks of about {@link #BLOCK_BYTES} (none: one block). */
    static long[] blockCuts(int runs, long cols, int bytesPerValue) {
        long blocks = Math.min(cols, Math.max(1, (long) Math.ceil((double) runs * cols * bytesPerValue / BLOCK_BYTES)));
        long[] cuts = new long[(int) blocks - 1];
        for (int b = 1; b < blocks; b++) cuts[b - 1] = cols * b / blocks;
        return cuts;
    }

    private static Shape broadcastShape(Shape s) {
        long[] d = new long[s.dimension()];
        Arrays.fill(d, 1);
        d[0] = s.get(0);
        return new Shape(d);
    }

    @Override
    public void close() {
        if (stateManager != null) stateManager.close();
    }
}
