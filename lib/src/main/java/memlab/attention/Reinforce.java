package memlab.attention;

import ai.djl.ndarray.NDArray;
import memlab.core.Check;

import java.util.Arrays;

/**
 * REINFORCE (Williams 1992) for a sampled choice {@code z ~ π_θ}, with a moving-average baseline.
 *
 * <p>The score-function identity {@code ∇_θ E_z[f(z)] = E_z[(f(z) − b) ∇_θ log π_θ(z)]} holds for any
 * {@code b} that does not depend on {@code z}; a good {@code b} (here the running mean of {@code f})
 * only lowers the variance. Autograd realises it through the surrogate
 * <pre>
 *   S = sg(f(z) − b) · log π_θ(z)          (sg: stop gradient; ∇S is the estimate, S itself means nothing)
 * </pre>
 * For hard attention (Xu et al. 2015) {@code f} is the log-likelihood of the target sequence given the
 * sampled positions and {@code log π} the sum over decoder steps of {@code log α_t(j_t)}; the decoder's
 * own gradient {@code ∇ log p(y | z)} is added by back-propagating the log-likelihood itself.
 *
 * <p>One baseline per run: {@code b ← μ b + (1 − μ) mean_batch f} after each step ({@link #update}),
 * starting from the first batch's mean.
 */
public final class Reinforce {
    private final double momentum;
    private final double[] baseline;
    private boolean started;

    /**
     * @param runs     runs of the model, one baseline each
     * @param momentum {@code μ} of the moving average, in {@code [0, 1)} (0: the last batch's mean)
     */
    public Reinforce(int runs, double momentum) {
        Check.positive("runs", runs);
        if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        this.momentum = momentum;
        this.baseline = new double[runs];
    }

    /**
     * The surrogate {@code sg(f − b) · log π}, averaged over the batch, per run.
     *
     * @param reward    {@code f(z)} {@code (R, B)} (its gradient is not used)
     * @param logPolicy {@code log π_θ(z)} {@code (R, B)}
     * @param baseline  {@code b} per run
     * @return {@code (R)}
     */
    public static NDArray surrogate(NDArray reward, NDArray logPolicy, double[] baseline) {
        long runs = reward.getShape().get(0);
        if (baseline.length != runs) throw new IllegalArgumentException("baseline has " + baseline.length + " entries, the reward " + runs + " runs");
        NDArray b = reward.getManager().create(baseline).toType(reward.getDataType(), false).reshape(runs, 1);
        NDArray advantage = reward.stopGradient().sub(b);
        return advantage.mul(logPolicy).mean(new int[]{1});
    }

    /** The current baseline of each run. */
    public double[] baseline() {
        return baseline.clone();
    }

    /** Moves each run's baseline towards the batch mean of {@code reward} {@code (R, B)}. */
    public void update(NDArray reward) {
        double[] f = reward.stopGradient().mean(new int[]{1}).toType(ai.djl.ndarray.types.DataType.FLOAT64, false).toDoubleArray();
        if (f.length != baseline.length) throw new IllegalArgumentException("reward has " + f.length + " runs, the baseline " + baseline.length);
        for (int r = 0; r < f.length; r++) baseline[r] = started ? momentum * baseline[r] + (1 - momentum) * f[r] : f[r];
        started = true;
    }

    @Override
    public String toString() {
        return "Reinforce(momentum " + momentum + ", baseline " + Arrays.toString(baseline) + ")";
    }
}
