package memlab.mixers;

import ai.djl.ndarray.NDArray;
import memlab.core.Check;
import memlab.nn.Linear;
import memlab.train.ParamSet;

import java.util.ArrayList;
import java.util.List;

/**
 * What every multi-head mixer shares: the projections {@code q = x W_q}, {@code k = x W_k},
 * {@code v = x W_v} (with biases), their split into {@code H} heads of {@code d = D / H} channels,
 * the merge of the heads' outputs and the output projection {@code y = o W_o}.
 *
 * <p>Inside, a head's sequence is one row of arrays of shape {@code (N, T, d)} with
 * {@code N = R·B·H}: the mixing rules ({@link SoftmaxAttention#attend}, {@link DeltaRule}, ...)
 * work on that layout and never see runs, sequences or heads.
 */
abstract class HeadedMixer implements Mixer {
    protected final ParamSet params;
    protected final String name;
    protected final int width, heads, headDim;
    protected final Linear query, key, value, out;
    private final List<String> names = new ArrayList<>();

    HeadedMixer(ParamSet params, String name, int width, int heads, long[] seeds) {
        Check.positive("width", width);
        Check.positive("heads", heads);
        if (width % heads != 0)
            throw new IllegalArgumentException("heads must divide width: width " + width + " is not a multiple of heads " + heads);
        this.params = params;
        this.name = name;
        this.width = width;
        this.heads = heads;
        this.headDim = width / heads;
        this.query = linear(name + ".q", width, seeds);
        this.key = linear(name + ".k", width, seeds);
        this.value = linear(name + ".v", width, seeds);
        this.out = linear(name + ".o", width, seeds);
    }

    /** A {@code width → out} projection whose parameter names this mixer reports. */
    protected final Linear linear(String n, int outSize, long[] seeds) {
        Linear l = new Linear(params, n, width, outSize, seeds);
        names.add(n + ".weight");
        names.add(n + ".bias");
        return l;
    }

    @Override
    public final NDArray forward(NDArray x, Form form) {
        Shape4 s = Shape4.of(x, width);
        NDArray x2 = x.reshape(s.runs, s.batch * s.len, width);
        NDArray q = split(query.forward(x2), s);
        NDArray k = split(key.forward(x2), s);
        NDArray v = split(value.forward(x2), s);
        NDArray o = mix(q, k, v, x2, s, form);
        NDArray merged = o.reshape(s.runs, s.batch, heads, s.len, headDim).transpose(0, 1, 3, 2, 4)
                .reshape(s.runs, s.batch * s.len, width);
        return out.forward(merged).reshape(s.runs, s.batch, s.len, width);
    }

    /**
     * The heads' outputs {@code (N, T, d)} from their queries, keys and values {@code (N, T, d)};
     * {@code x2} is the input as {@code (R, B·T, D)} for mixers with further projections (gates).
     */
    abstract NDArray mix(NDArray q, NDArray k, NDArray v, NDArray x2, Shape4 s, Form form);

    /** {@code (R, B·T, H·d)} → {@code (R·B·H, T, d)}. */
    final NDArray split(NDArray y, Shape4 s) {
        return y.reshape(s.runs, s.batch, s.len, heads, headDim).transpose(0, 1, 3, 2, 4)
                .reshape((long) s.runs * s.batch * heads, s.len, headDim);
    }

    /** A per-head scalar {@code (R, B·T, H)} → {@code (R·B·H, T)}. */
    final NDArray splitScalar(NDArray g, Shape4 s) {
        return g.reshape(s.runs, s.batch, s.len, heads).transpose(0, 1, 3, 2)
                .reshape((long) s.runs * s.batch * heads, s.len);
    }

    @Override
    public final List<String> parameterNames() { return List.copyOf(names); }

    @Override
    public final int width() { return width; }

    @Override
    public final int heads() { return heads; }

    /** The input's dimensions {@code (R, B, T, D)}. */
    record Shape4(int runs, int batch, int len) {
        static Shape4 of(NDArray x, int width) {
            var sh = x.getShape();
            if (sh.dimension() != 4 || sh.get(3) != width)
                throw new IllegalArgumentException("x must have shape (R, B, T, " + width + "), got " + sh);
            return new Shape4((int) sh.get(0), (int) sh.get(1), (int) sh.get(2));
        }
    }
}
