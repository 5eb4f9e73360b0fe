package memlab.mixers;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import memlab.core.Seeds;
import memlab.train.ParamSet;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** Test helpers: the five mixers by name, random inputs, a loss's gradients. */
final class Mixers {
    private Mixers() {}

    static final String[] ALL = {"attention", "window", "linear", "delta", "gated"};
    static final String[] RECURRENT = {"linear", "delta", "gated"};

    /** The mixer called {@code kind} (window 3, chunk {@code chunk}) in {@code ps}. */
    static Mixer make(String kind, ParamSet ps, int width, int heads, int chunk, long[] seeds) {
        return switch (kind) {
            case "attention" -> new SoftmaxAttention(ps, "m", width, heads, SoftmaxAttention.FULL, seeds);
            case "window" -> new SoftmaxAttention(ps, "m", width, heads, 3, seeds);
            case "linear" -> new LinearAttention(ps, "m", width, heads, seeds);
            case "delta" -> new DeltaNet(ps, "m", width, heads, chunk, seeds);
            case "gated" -> new GatedDeltaNet(ps, "m", width, heads, chunk, seeds);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    static NDArray normal(NDManager m, long seed, String stream, long... dims) {
        Shape s = new Shape(dims);
        return m.create(Seeds.normal(Seeds.stream(seed, stream), new float[(int) s.size()]), s);
    }

    /** The loss value and d loss / d parameter for every parameter of {@code ps}, gradients then zeroed. */
    static Map<String, float[]> gradients(ParamSet ps, Function<NDManager, NDArray> loss) {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (NDManager m = ps.manager().newSubManager();
             var gc = Engine.getInstance().newGradientCollector()) {
            NDArray l = loss.apply(m);
            out.put("loss", l.toFloatArray());
            gc.backward(l);
            for (var e : ps.all().entrySet()) out.put(e.getKey(), e.getValue().getGradient().toFloatArray());
        }
        ps.zeroGrad();
        return out;
    }

    /** {@link memlab.testing.JsonFixture#relErr}. */
    static double relErr(float[] a, float[] b) {
        return memlab.testing.JsonFixture.relErr(a, b);
    }
}
