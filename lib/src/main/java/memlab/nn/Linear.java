package memlab.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import memlab.core.Check;
import memlab.core.Seeds;
import memlab.train.ParamSet;

/**
 * An affine map {@code y = x W + b}, one per run: {@code W} has shape {@code (R, in, out)},
 * {@code b} shape {@code (R, 1, out)}, and {@code x} shape {@code (R, N, in)}.
 *
 * <p>Initialised as PyTorch's {@code nn.Linear}: every entry of {@code W} and {@code b} is drawn
 * from U(−1/√in, 1/√in), here from the run's own seed so a run gets the same weights whether it is
 * trained alone or inside a batched sweep. (PyTorch stores the transpose, {@code (out, in)}.)
 */
public final class Linear {
    private final NDArray weight;
    private final NDArray bias;
    private final int in, out;

    /**
     * Creates {@code name.weight} and {@code name.bias} in {@code params}.
     *
     * @param seeds one seed per run of {@code params}
     */
    public Linear(ParamSet params, String name, int in, int out, long[] seeds) {
        this.in = Check.positive(name + " input size", in);
        this.out = Check.positive(name + " output size", out);
        if (seeds.length != params.runs())
            throw new IllegalArgumentException("need one seed per run: " + params.runs() + " runs, " + seeds.length + " seeds");
        double bound = 1 / Math.sqrt(in);
        this.weight = params.add(name + ".weight", new Shape(in, out),
                r -> Seeds.uniform(Seeds.stream(seeds[r], name + ".weight"), new float[in * out], bound));
        this.bias = params.add(name + ".bias", new Shape(1, out),
                r -> Seeds.uniform(Seeds.stream(seeds[r], name + ".bias"), new float[out], bound));
    }

    /** {@code y = x W + b} for {@code x} of shape {@code (R, N, in)}; returns {@code (R, N, out)}. */
    public NDArray forward(NDArray x) {
        return x.batchMatMul(weight).add(bias);
    }

    /** The weight, shape {@code (R, in, out)}. */
    public NDArray weight() { return weight; }

    /** The bias, shape {@code (R, 1, out)}. */
    public NDArray bias() { return bias; }

    public int in() { return in; }

    public int out() { return out; }
}
