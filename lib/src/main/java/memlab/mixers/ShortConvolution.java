package memlab.mixers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import memlab.core.Check;
import memlab.core.Seeds;
import memlab.train.ParamSet;

/**
 * A causal depthwise convolution over time, the "short convolution" that DeltaNet, Gated DeltaNet,
 * Mamba and Based put in front of their mixers (Yang et al., 2024; Arora et al., Zoology, 2024). Per
 * channel {@code c} with a kernel of {@code K} taps:
 * <pre>
 *   y_t[c] = Σ_{i=0}^{K−1} w_i[c] · x_{t−i}[c],        x_{t<0} = 0
 * </pre>
 * It lets position {@code t} see the few tokens before it, so a key written at a value's position can
 * carry the key token just before it (the "previous token" step that attention otherwise has to
 * learn in a layer of its own). Weights are drawn from U(−1/√K, 1/√K), as PyTorch's depthwise
 * {@code Conv1d}.
 *
 * <p>State size: the last {@code K − 1} inputs, {@code (K − 1) · D} numbers per sequence.
 */
public final class ShortConvolution {
    private final NDArray weight;   // (R, K, D)
    private final int kernel, width;

    /** Creates {@code name.weight} of shape {@code (K, D)} per run in {@code params}. */
    public ShortConvolution(ParamSet params, String name, int width, int kernel, long[] seeds) {
        this.width = Check.positive("width", width);
        this.kernel = Check.positive("kernel", kernel);
        double bound = 1 / Math.sqrt(kernel);
        weight = params.add(name + ".weight", new Shape(kernel, width),
                r -> Seeds.uniform(Seeds.stream(seeds[r], name + ".weight"), new float[kernel * width], bound));
    }

    /** {@code y} for {@code x} of shape {@code (R, B, T, D)}: the sum of the input shifted by {@code i} steps times tap {@code i}. */
    public NDArray forward(NDArray x) {
        Shape s = x.getShape();
        long runs = s.get(0), batch = s.get(1), len = s.get(2);
        NDArray y = null;
        for (int i = 0; i < Math.min(kernel, len); i++) {
            NDArray shifted = i == 0 ? x
                    : x.getManager().zeros(new Shape(runs, batch, i, width)).concat(x.get(new NDIndex(":, :, :{}, :", len - i)), 2);
            NDArray term = shifted.mul(weight.get(new NDIndex(":, {}, :", i)).reshape(runs, 1, 1, width));
            y = y == null ? term : y.add(term);
        }
        return y;
    }

    /** Numbers kept per sequence: the last {@code K − 1} inputs. */
    public long stateSize() {
        return (long) (kernel - 1) * width;
    }

    public int kernel() { return kernel; }

    /** The parameter's name suffix, for groups: {@code name.weight}. */
    public NDArray weight() { return weight; }
}
