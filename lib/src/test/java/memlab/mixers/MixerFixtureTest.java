package memlab.mixers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import memlab.testing.JsonFixture;
import memlab.train.ParamSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.Map;

import static memlab.testing.JsonFixture.data;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Every mixer, both forms, against the golden fixture of {@code reference/mixers_reference.py}
 * (the definitions written as plain PyTorch loops): output and the gradient of every parameter.
 * Regenerate with {@code /usr/bin/python3 reference/mixers_reference.py}.
 */
class MixerFixtureTest {
    static JsonObject fixture() throws IOException {
        return JsonFixture.load("/fixtures/mixers_tiny.json");
    }

    /** Chunks of 2 (three chunks: a state carried twice) and of 4 (the second chunk padded) over T = 6. */
    @ParameterizedTest
    @ValueSource(strings = {"attention", "window", "linear", "delta", "gated"})
    void bothFormsMatchTheReferenceLoops(String kind) throws IOException {
        for (int chunk : new int[]{2, 4}) bothFormsMatch(kind, chunk);
    }

    private static void bothFormsMatch(String kind, int chunk) throws IOException {
        JsonObject f = fixture();
        JsonObject e = f.getAsJsonObject(kind);
        int b = f.get("B").getAsInt(), t = f.get("T").getAsInt(), d = f.get("D").getAsInt(), h = f.get("H").getAsInt();
        assertEquals(3, f.get("window_size").getAsInt(), "Mixers.make builds the window mixer with w = 3");
        try (NDManager base = NDManager.newBaseManager(); ParamSet ps = new ParamSet(base, 1)) {
            Mixer mixer = Mixers.make(kind, ps, d, h, chunk, new long[]{0});
            for (String name : mixer.parameterNames()) ps.get(name).set(data(e, name));
            NDArray x = ps.manager().create(data(e, "x"), new Shape(1, b, t, d));
            NDArray probe = ps.manager().create(data(e, "probe"), new Shape(1, b, t, d));
            for (Mixer.Form form : Mixer.Form.values()) {
                float[][] y = new float[1][];
                Map<String, float[]> g = Mixers.gradients(ps, m -> {
                    NDArray out = mixer.forward(x, form);
                    y[0] = out.toFloatArray();
                    return out.mul(probe).sum();
                });
                assertTrue(Mixers.relErr(y[0], data(e, "y")) < 1e-5, kind + " " + form + " chunk " + chunk + " output: " + Mixers.relErr(y[0], data(e, "y")));
                for (String name : mixer.parameterNames())
                    assertTrue(Mixers.relErr(g.get(name), data(e, "grad." + name)) < 1e-4,
                            kind + " " + form + " chunk " + chunk + " d/d" + name + ": " + Mixers.relErr(g.get(name), data(e, "grad." + name)));
            }
        }
    }
}
