package memlab.memn2n;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import memlab.testing.JsonFixture;
import memlab.tasks.StoryBatch;
import memlab.train.ParamSet;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The memory network against {@code reference/memn2n_reference.py}, an independent PyTorch version written
 * one story and one sentence at a time: with the same weights (float64) the answer logits, every hop's
 * attention, the loss and the gradient of every embedding and temporal table agree.
 */
class MemN2NReferenceTest {
    static final double TOL = 1e-9;

    @Test
    void positionAndTemporalEncodingTwoHopsMatchTorch() throws IOException {
        check("a");
    }

    @Test
    void bagOfWordsThreeHopsMatchesTorch() throws IOException {
        check("b");
    }

    static JsonObject fixture() throws IOException {
        return JsonFixture.load("/fixtures/memn2n_tiny.json");
    }

    /** The fixture's two stories as a one-run batch. */
    static StoryBatch batch(JsonObject f) {
        return new StoryBatch(1, f.get("B").getAsInt(), f.get("S").getAsInt(), f.get("J").getAsInt(),
                ints(f.get("story")), ints(f.get("length")), ints(f.get("question")), ints(f.get("question_length")),
                ints(f.get("answer")), new int[f.get("B").getAsInt() * f.get("S").getAsInt()]);
    }

    static void check(String name) throws IOException {
        JsonObject f = fixture(), c = f.getAsJsonObject(name);
        MemN2N.Config config = new MemN2N.Config(f.get("V").getAsInt(), f.get("D").getAsInt(), f.get("S").getAsInt(), f.get("J").getAsInt(),
                c.get("hops").getAsInt(), c.get("position_encoding").getAsBoolean(), c.get("temporal_encoding").getAsBoolean());
        StoryBatch batch = batch(f);
        try (NDManager m = NDManager.newBaseManager(); ParamSet params = new ParamSet(m, 1)) {
            MemN2N model = new MemN2N(params, config, new long[]{0});
            JsonObject weights = c.getAsJsonObject("weights");
            assertEquals(weights.keySet(), params.all().keySet(), "the same parameters as the reference");
            Map<String, NDArray> w = new LinkedHashMap<>();
            for (String p : params.all().keySet()) {
                NDArray a = m.create(doubles(weights.get(p)), params.get(p).getShape());
                a.setRequiresGradient(true);
                w.put(p, a);
            }
            MemN2N.Pass pass;
            MemN2N.Score score;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                pass = model.forward(w, batch, m);
                score = MemN2N.score(pass.logits(), batch, m);
                gc.backward(score.loss().sum());
            }
            close(doubles(c.get("logits")), pass.logits(), "logits");
            close(doubles(c.get("attention")), pass.attention(), "attention of every hop");
            close(new double[]{c.get("loss").getAsDouble()}, score.loss(), "loss");
            for (String p : w.keySet()) close(doubles(c.getAsJsonObject("grad").get(p)), w.get(p).getGradient(), "gradient of " + p);
        }
    }

    static void close(double[] want, NDArray got, String what) {
        double[] v = got.toDoubleArray();
        assertEquals(want.length, v.length, what + ": size");
        for (int i = 0; i < v.length; i++) assertEquals(want[i], v[i], TOL * (1 + Math.abs(want[i])), what + " [" + i + "]");
    }

    static double[] doubles(JsonElement e) {
        return flatten(e).stream().mapToDouble(Double::doubleValue).toArray();
    }

    static int[] ints(JsonElement e) {
        return flatten(e).stream().mapToInt(Double::intValue).toArray();
    }

    private static java.util.List<Double> flatten(JsonElement e) {
        java.util.List<Double> out = new java.util.ArrayList<>();
        if (e.isJsonArray()) for (JsonElement x : (JsonArray) e) out.addAll(flatten(x));
        else out.add(e.getAsDouble());
        return out;
    }

}
