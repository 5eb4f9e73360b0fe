package memlab.pmnet;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import memlab.testing.JsonFixture;
import memlab.train.ParamSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;

import static memlab.testing.JsonFixture.data;
import static memlab.testing.JsonFixture.relErr;
import static org.junit.jupiter.api.Assertions.*;

/**
 * One memory layer (every position written, then read) against the golden fixture of
 * {@code reference/pmnet_reference.py} (the equations as plain PyTorch loops in float64): the route
 * and slot weights of every write, the final state, the output and the gradient of every parameter
 * and of the input. Regenerate with {@code /usr/bin/python3 reference/pmnet_reference.py}.
 */
class PhasorFixtureTest {
    static JsonObject fixture() throws IOException {
        return JsonFixture.load("/fixtures/pmnet_tiny.json");
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "unconstrained"})
    void oneLayerMatchesTheReferenceLoops(String ablation) throws IOException {
        JsonObject f = fixture();
        JsonObject e = f.getAsJsonObject(ablation);
        int b = f.get("B").getAsInt(), t = f.get("T").getAsInt(), d = f.get("D").getAsInt();
        var config = new PhasorMemory.Config(f.get("C").getAsInt(), f.get("keyDim").getAsInt(), f.get("levels").getAsInt(),
                f.get("branching").getAsInt(), f.get("readHeads").getAsInt(), true, Ablation.parse(ablation));
        try (NDManager base = NDManager.newBaseManager(); ParamSet ps = new ParamSet(base, 1)) {
            PhasorMemory memory = new PhasorMemory(ps, "m", d, config, new long[]{0});
            assertEquals(ps.all().keySet(), new java.util.HashSet<>(memory.parameterNames()), "parameter names");
            for (String name : memory.parameterNames()) ps.get(name).set(data(e, name));
            NDArray h = ps.manager().create(data(e, "h"), new Shape(1, b, t, d));
            h.setRequiresGradient(true);
            NDArray probe = ps.manager().create(data(e, "probe"), new Shape(1, b, t, d));
            PhasorMemory.Trace trace = new PhasorMemory.Trace();
            float[] y;
            try (var gc = Engine.getInstance().newGradientCollector()) {
                NDArray out = memory.forwardStepwise(h, trace);
                y = out.toFloatArray();
                gc.backward(out.mul(probe).sum());
            }
            assertTrue(relErr(y, data(e, "y")) < 1e-5, ablation + " output: " + relErr(y, data(e, "y")));
            // writes: reference order is sequence, position, level; Java's is position, level with all sequences at once
            JsonArray writes = e.getAsJsonArray("writes");
            for (JsonElement we : writes) {
                JsonObject w = we.getAsJsonObject();
                int sb = w.get("b").getAsInt(), st = w.get("t").getAsInt(), sl = w.get("level").getAsInt();
                PhasorMemory.Trace.Access a = trace.writes().get(st * config.levels() + sl);
                assertEquals(w.get("group").getAsInt(), a.group()[sb], "route of sequence " + sb + " at t " + st + " level " + sl);
                JsonArray ws = w.getAsJsonArray("weights");
                for (int i = 0; i < ws.size(); i++)
                    assertEquals(ws.get(i).getAsDouble(), a.weights()[sb * ws.size() + i], 1e-5, "slot weights at b " + sb + " t " + st + " level " + sl);
            }
            for (int l = 0; l < config.levels(); l++) {
                float[] want = data(e, "state.level" + l), got = trace.finalState(l);
                for (int i = 0; i < want.length; i++) {
                    double diff = got[i] - want[i];
                    if (!ablation.equals("unconstrained")) diff = Math.IEEEremainder(diff, 2 * Math.PI);   // a phase near 0 may wrap
                    assertEquals(0, diff, 1e-5, "state of level " + l + " entry " + i);
                }
            }
            for (String name : memory.parameterNames()) {
                float[] g = ps.get(name).getGradient().toFloatArray();
                assertTrue(relErr(g, data(e, "grad." + name)) < 1e-4, ablation + " d/d" + name + ": " + relErr(g, data(e, "grad." + name)));
            }
            assertTrue(relErr(h.getGradient().toFloatArray(), data(e, "grad.h")) < 1e-4, ablation + " d/dh");
        }
    }
}
