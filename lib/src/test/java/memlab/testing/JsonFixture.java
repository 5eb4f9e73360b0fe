package memlab.testing;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A golden fixture written as JSON by a reference script under {@code reference/} (mixers, PMNet,
 * memory network): entries of {@code {"shape": [...], "data": [...]}}, and the error measure the
 * tests hold our numbers to. Shared by every JSON fixture test.
 */
public final class JsonFixture {
    private JsonFixture() {}

    /** The test resource {@code resource} (e.g. {@code /fixtures/mixers_tiny.json}) as a JSON object. */
    public static JsonObject load(String resource) throws IOException {
        try (InputStream in = JsonFixture.class.getResourceAsStream(resource)) {
            if (in == null) throw new IOException("missing test resource " + resource);
            return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
        }
    }

    /** The values of {@code entry.name.data}, flattened. */
    public static float[] data(JsonObject entry, String name) {
        JsonArray a = entry.getAsJsonObject(name).getAsJsonArray("data");
        float[] v = new float[a.size()];
        for (int i = 0; i < v.length; i++) v[i] = a.get(i).getAsFloat();
        return v;
    }

    /** {@code max |a − b| / max(1, max |b|)}; arrays of different lengths are an error. */
    public static double relErr(float[] a, float[] b) {
        if (a.length != b.length) throw new AssertionError("length " + a.length + ", expected " + b.length);
        double err = 0, scale = 1;
        for (int i = 0; i < a.length; i++) {
            err = Math.max(err, Math.abs(a[i] - b[i]));
            scale = Math.max(scale, Math.abs(b[i]));
        }
        return err / scale;
    }
}
