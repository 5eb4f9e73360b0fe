package memlab.ntm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import memlab.tasks.BitCopyTask;
import memlab.train.ParamSet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** A golden fixture in double precision: one tensor per line, {@code name dims v1 v2 ...}; {@code #} lines are comments (shared by the NTM's and the DNC's tests). */
public record Golden(Map<String, long[]> shapes, Map<String, double[]> values) {
    public static Golden load(String resource) throws IOException {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        Map<String, double[]> values = new LinkedHashMap<>();
        try (InputStream in = Golden.class.getResourceAsStream(resource)) {
            if (in == null) throw new IOException("missing test resource " + resource);
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] f = line.trim().split("\\s+");
                shapes.put(f[0], Arrays.stream(f[1].split(",")).mapToLong(Long::parseLong).toArray());
                values.put(f[0], Arrays.stream(f, 2, f.length).mapToDouble(Double::parseDouble).toArray());
            }
        }
        return new Golden(shapes, values);
    }

    public double[] get(String name) {
        double[] v = values.get(name);
        if (v == null) throw new IllegalArgumentException("fixture has no '" + name + "'; has " + values.keySet());
        return v;
    }

    public long[] shape(String name) {
        get(name);
        return shapes.get(name);
    }

    /** The tensor {@code name} as an array of its shape. */
    public NDArray array(NDManager m, String name) {
        return m.create(get(name), new Shape(shape(name)));
    }

    /** The fixture's weights for every parameter of {@code params} ({@code prefix + name}), shapes checked, recording gradients. */
    public Map<String, NDArray> weights(NDManager m, ParamSet params, String prefix) {
        Map<String, NDArray> w = new LinkedHashMap<>();
        for (String name : params.all().keySet()) {
            if (!Arrays.equals(params.get(name).getShape().getShape(), shape(prefix + name)))
                throw new AssertionError("shape of " + name + ": model " + params.get(name).getShape() + ", fixture " + Arrays.toString(shape(prefix + name)));
            NDArray a = array(m, prefix + name);
            a.setRequiresGradient(true);
            w.put(name, a);
        }
        return w;
    }

    /** The fixture's copy-task batch ({@code x}, {@code y}, {@code mask}) as one run. */
    public BitCopyTask.Batch copyBatch(NDManager m, String prefix) {
        return new BitCopyTask.Batch(array(m, prefix + "x").expandDims(0), array(m, prefix + "y").expandDims(0),
                array(m, prefix + "mask").expandDims(0), new int[]{0});
    }

    /** {@code got} equals {@code want} element by element within {@code tol · (1 + |want|)}. */
    public static void close(double[] want, NDArray got, double tol, String what) {
        double[] v = got.toDoubleArray();
        if (want.length != v.length) throw new AssertionError(what + ": size " + v.length + ", expected " + want.length);
        for (int i = 0; i < v.length; i++)
            if (!(Math.abs(want[i] - v[i]) <= tol * (1 + Math.abs(want[i]))))
                throw new AssertionError(what + " [" + i + "]: expected " + want[i] + ", got " + v[i]);
    }
}
