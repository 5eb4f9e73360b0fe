package memlab.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import memlab.core.Seeds;
import memlab.nn.Linear;
import memlab.train.ParamSet;
import memlab.train.RunRecorder;
import memlab.train.Trainer;

import java.util.Map;

/**
 * A tiny linear-regression problem, one per seed: inputs {@code x ~ N(0, 1)} of width 4 and targets
 * {@code y = (x₀ − 2x₁, x₂/2 + 1)}, fitted by a {@link Linear} map with the MSE loss
 * {@code L = mean((xW + b − y)²)}. Used by the setup-check notebook and the training-loop tests.
 */
public final class TinyRegression implements Trainer.Objective {
    /** The model's parameters (one run per seed). */
    public final ParamSet params;
    /** The linear map being fitted. */
    public final Linear net;
    private final long[] seeds;
    static final int IN = 4, OUT = 2, N = 16;

    /** One run per seed, parameters created under {@code base}. */
    public TinyRegression(NDManager base, long... seeds) {
        this.seeds = seeds;
        this.params = new ParamSet(base, seeds.length);
        this.net = new Linear(params, "net", IN, OUT, seeds);
    }

    @Override
    public Map<String, NDArray> forward(NDManager m, int step) {
        int r = seeds.length;
        float[] x = new float[r * N * IN], y = new float[r * N * OUT];
        for (int k = 0; k < r; k++) {
            float[] xs = Seeds.normal(Seeds.stream(seeds[k], "x", step), new float[N * IN]);
            System.arraycopy(xs, 0, x, k * N * IN, xs.length);
            for (int n = 0; n < N; n++) {
                y[(k * N + n) * OUT] = xs[n * IN] - 2 * xs[n * IN + 1];
                y[(k * N + n) * OUT + 1] = 0.5f * xs[n * IN + 2] + 1;
            }
        }
        NDArray pred = net.forward(m.create(x, new Shape(r, N, IN)));
        NDArray loss = pred.sub(m.create(y, new Shape(r, N, OUT))).square().reshape(r, -1).mean(new int[]{1});
        return Map.of(RunRecorder.LOSS, loss);
    }
}
