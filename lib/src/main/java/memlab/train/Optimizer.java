package memlab.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDResource;
import ai.djl.ndarray.types.Shape;
import memlab.core.Check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
    private final Map<String, NDArray[]> state = new HashMap<>();
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
        List<NDResource> all = new ArrayList<>();
        for (NDArray[] s : state.values()) all.addAll(Arrays.asList(s));
        return all.toArray(new NDResource[0]);
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
        List<NDArray> grads = new ArrayList<>();
        NDArray sq = null;
        for (NDArray p : params.all().values()) {
            NDArray g = p.getGradient();
            grads.add(g);
            NDArray s = g.reshape(runs, -1).square().sum(new int[]{1});
            sq = sq == null ? s : sq.add(s);
        }
        NDArray norm = sq.sqrt();
        float[] norms = norm.toFloatArray();

        float[] coef = new float[runs], rate = new float[runs], decay = new float[runs];
        boolean[] live = new boolean[runs];
        for (int r = 0; r < runs; r++) {
            live[r] = alive[r];
            double n = norms[r];
            double c = Double.isInfinite(maxNorm[r]) ? 1 : Math.min(1, maxNorm[r] / (n + 1e-6));
            coef[r] = live[r] ? (float) c : 0f;
            rate[r] = live[r] ? (float) lr[r] : 0f;
            decay[r] = live[r] && rule == Rule.ADAMW ? (float) (1 - lr[r] * weightDecay) : 1f;
        }
        NDArray coefV = m.create(coef), rateV = m.create(rate), decayV = m.create(decay), liveV = m.create(live);
        double bc1 = 1 - Math.pow(beta1, t), bc2 = 1 - Math.pow(beta2, t);

        int i = 0;
        for (Map.Entry<String, NDArray> e : params.all().entrySet()) {
            NDArray p = e.getValue();
            Shape bshape = broadcastShape(p.getShape());
            NDArray g0 = grads.get(i++);
            // frozen runs: replace their (possibly NaN) gradient by 0 so the update leaves them untouched
            NDArray g = NDArrays.where(liveV.reshape(bshape).broadcast(p.getShape()), g0.mul(coefV.reshape(bshape)), g0.zerosLike());
            NDArray lrB = rateV.reshape(bshape);
            switch (rule) {
                case SGD -> p.subi(g.mul(lrB));
                case ADAM, ADAMW -> {
                    NDArray[] mv = state.computeIfAbsent(e.getKey(), k -> {
                        NDArray[] fresh = {stateManager.zeros(p.getShape()), stateManager.zeros(p.getShape())};
                        m.tempAttachAll(fresh); // like state() does for later steps
                        return fresh;
                    });
                    if (rule == Rule.ADAMW) p.muli(decayV.reshape(bshape));
                    mv[0].muli(beta1).addi(g.mul(1 - beta1));
                    mv[1].muli(beta2).addi(g.square().muli(1 - beta2));
                    NDArray denom = mv[1].div(bc2).sqrt().addi(eps);
                    p.subi(mv[0].div(denom).muli(lrB.div(bc1)));
                }
            }
        }
        params.zeroGrad();
        return norms;
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
