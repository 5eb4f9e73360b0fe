package memlab.egl;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads a golden fixture: one tensor per line, {@code name dims v1 v2 ...}; {@code #} lines are comments. */
record Fixture(Map<String, long[]> shapes, Map<String, float[]> values) {
    static Fixture load(String resource) throws IOException {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        Map<String, float[]> values = new LinkedHashMap<>();
        try (InputStream in = Fixture.class.getResourceAsStream(resource)) {
            if (in == null) throw new IOException("missing test resource " + resource);
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] f = line.trim().split("\\s+");
                long[] dims = f[1].equals("-") ? new long[0] : Arrays.stream(f[1].split(",")).mapToLong(Long::parseLong).toArray();
                float[] v = new float[f.length - 2];
                for (int i = 2; i < f.length; i++) v[i - 2] = Float.parseFloat(f[i]);
                shapes.put(f[0], dims);
                values.put(f[0], v);
            }
        }
        return new Fixture(shapes, values);
    }

    float[] get(String name) {
        float[] v = values.get(name);
        if (v == null) throw new IllegalArgumentException("fixture has no '" + name + "'; has " + values.keySet());
        return v;
    }

    long[] shape(String name) {
        get(name);
        return shapes.get(name);
    }
}
