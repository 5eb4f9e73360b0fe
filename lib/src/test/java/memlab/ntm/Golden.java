package memlab.ntm;

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
}
