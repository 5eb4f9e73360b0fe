package memlab.egl;

import memlab.train.Optimizer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class CopyExperimentTest {
    static final CopyExperiment.Setup TINY = new CopyExperiment.Setup(3, 5, 4, 6, 7, 4);
    static final List<CopyExperiment.Run> RUNS = List.of(
            CopyExperiment.Run.of(Optimizer.Rule.ADAM, 1e-2, 1.0, true, 1),
            CopyExperiment.Run.of(Optimizer.Rule.ADAM, 1e-2, 1.0, false, 1),
            CopyExperiment.Run.of(Optimizer.Rule.ADAM, 3e-2, Double.POSITIVE_INFINITY, true, 2));

    @Test
    void runsTrainedInGroupsMatchOneBatchedModel() {
        var together = CopyExperiment.train(TINY, RUNS, new int[]{3}, null);
        var grouped = CopyExperiment.train(TINY, RUNS, new int[]{3}, null, 2);
        var a = together.recorder().table();
        var b = grouped.recorder().table();
        assertEquals(a.rowCount(), b.rowCount());
        for (String col : List.of("loss", "grad_norm", CopyExperiment.LINK_GRAD_NORM)) {
            var x = a.sortAscendingOn("run", "step").doubleColumn(col);
            var y = b.sortAscendingOn("run", "step").doubleColumn(col);
            for (int i = 0; i < x.size(); i++) assertEquals(x.get(i), y.get(i), 1e-5 * (1 + Math.abs(x.get(i))), col + " row " + i);
        }
        assertEquals(3, grouped.attention().size());
        assertEquals(2, grouped.attention().get(2).run());
        assertEquals(List.of("adam 0.01 clip 1.0 link on", "adam 0.01 clip 1.0 link off", "adam 0.03 noclip link on"), grouped.groups());
    }

    /**
     * A group's final loss is the spread over its seeds of each run's loss averaged over the last k
     * epochs, here computed by hand from the recorded per-epoch losses.
     */
    @Test
    void finalLossSpreadIsPerGroup() {
        String on = "adam 0.01 clip 1.0 link on", off = "adam 0.01 clip 1.0 link off";
        var runs = List.of(CopyExperiment.Run.of(Optimizer.Rule.ADAM, 1e-2, 1.0, true, 1),
                CopyExperiment.Run.of(Optimizer.Rule.ADAM, 1e-2, 1.0, false, 1),
                CopyExperiment.Run.of(Optimizer.Rule.ADAM, 1e-2, 1.0, true, 2));
        var result = CopyExperiment.train(TINY, runs, new int[0], null);
        var t = result.recorder().table();
        double[][] loss = new double[3][];
        for (int r = 0; r < 3; r++)
            loss[r] = t.where(t.intColumn("run").isEqualTo(r)).sortAscendingOn("step").doubleColumn("loss").asDoubleArray();
        double[] tail = new double[3];
        for (int r = 0; r < 3; r++) tail[r] = (loss[r][TINY.epochs() - 1] + loss[r][TINY.epochs() - 2]) / 2;
        assertNotEquals(tail[0], tail[2], "two seeds, two values");

        var s = result.finalLoss(on, 2);   // runs 0 and 2
        assertEquals(2, s.n());
        assertEquals((tail[0] + tail[2]) / 2, s.mean(), 1e-12);
        assertEquals(Math.abs(tail[0] - tail[2]) / Math.sqrt(2), s.std(), 1e-12, "sample standard deviation of two values");
        assertEquals(Math.min(tail[0], tail[2]), s.min(), 0);
        assertEquals(Math.max(tail[0], tail[2]), s.max(), 0);
        var single = result.finalLoss(off, 2);
        assertEquals(1, single.n());
        assertEquals(tail[1], single.mean(), 1e-12);
        // all the epochs trained: the mean over the whole run; more than were trained is refused, naming the range
        assertEquals(java.util.Arrays.stream(loss[1]).average().orElseThrow(), result.finalLoss(off, TINY.epochs()).mean(), 1e-12);
        var more = assertThrows(IllegalArgumentException.class, () -> result.finalLoss(off, 100));
        assertTrue(more.getMessage().contains("lastEpochs") && more.getMessage().contains("[1, " + TINY.epochs() + "]"), more.getMessage());
        var e = assertThrows(IllegalArgumentException.class, () -> result.finalLoss("no such group", 2));
        assertTrue(e.getMessage().contains(on) && e.getMessage().contains(off), e.getMessage());
    }

    @Test
    void badArgumentsFailFastWithTheirName() {
        var e = assertThrows(IllegalArgumentException.class, () -> new CopyExperiment.Setup(0, 5, 4, 6, 7, 4));
        assertTrue(e.getMessage().contains("batch"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CopyExperiment.Run.of(Optimizer.Rule.ADAM, 0, 1.0, true, 1));
        assertTrue(e.getMessage().contains("lr"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CopyExperiment.parseClip("sometimes"));
        assertTrue(e.getMessage().contains("clip"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CopyExperiment.Run.of(null, 1e-3, 1.0, true, 1));
        assertTrue(e.getMessage().contains("rule") && e.getMessage().contains("SGD, ADAM, ADAMW"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new CopyExperiment.Run(Optimizer.Rule.ADAM, 1e-3, 1.0, true, -5, 1));
        assertTrue(e.getMessage().contains("linkStopEpoch") && e.getMessage().contains("-1") && e.getMessage().contains("-5"), e.getMessage());
        assertEquals(0, new CopyExperiment.Run(Optimizer.Rule.ADAM, 1e-3, 1.0, true, 0, 1).linkStopEpoch(), "0 = off from the start: allowed");
    }

    @Test
    void aStabilitySweepWithFailedRunsSaysSoAndRetriesThem(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        var file = dir.resolve("egl-stability.csv");
        var e = assertThrows(memlab.sweep.FailedRunsException.class, () -> CopyExperiment.stability(TINY, Optimizer.Rule.ADAM, new double[]{1e-2},
                new String[]{"off"}, new long[]{1}, file, 2, (step, steps, metrics) -> { throw new IllegalStateException("interrupted"); }));
        assertTrue(e.getMessage().contains("2 of 2 runs") && e.getMessage().contains("IllegalStateException: interrupted"), e.getMessage());
        var t = CopyExperiment.withOutcome(CopyExperiment.stability(TINY, Optimizer.Rule.ADAM, new double[]{1e-2}, new String[]{"off"}, new long[]{1}, file, 2, null));
        assertEquals(2, t.rowCount());
        assertEquals(0, t.where(t.stringColumn("outcome").isEqualTo("error")).rowCount(), "retried, not kept as errors");
    }

    @Test
    void finalLossRefusesMoreEpochsThanWereTrained() {
        var result = CopyExperiment.train(TINY, RUNS.subList(0, 1), new int[0], null);
        assertEquals(1, result.finalLoss("adam 0.01 clip 1.0 link on", TINY.epochs()).n());
        var e = assertThrows(IllegalArgumentException.class, () -> result.finalLoss("adam 0.01 clip 1.0 link on", TINY.epochs() + 1));
        assertTrue(e.getMessage().contains("lastEpochs") && e.getMessage().contains("[1, " + TINY.epochs() + "]"), e.getMessage());
    }

    @Test
    void theInterfaceChecksEveryShapeItIsGiven() {
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager(); memlab.train.ParamSet p = new memlab.train.ParamSet(m, 2)) {
            int b = 2, t = 3, in = 4, d = 5, s = 6;
            var model = new AttentionMemoryInterface(p, in, d, s, new long[]{1, 2});
            var x = m.zeros(new ai.djl.ndarray.types.Shape(2, b, t, in));
            var mem = m.zeros(new ai.djl.ndarray.types.Shape(2, b, s, d));
            assertEquals(new ai.djl.ndarray.types.Shape(2, b, t, in), model.forward(x, mem, null, null).output().getShape());
            java.util.function.BiConsumer<String, org.junit.jupiter.api.function.Executable> refused = (arg, call) -> {
                var e = assertThrows(IllegalArgumentException.class, call);
                assertTrue(e.getMessage().startsWith(arg + " "), arg + ": " + e.getMessage());
            };
            refused.accept("x", () -> model.forward(m.zeros(new ai.djl.ndarray.types.Shape(2, t, in)), mem, null, null));        // 3-d
            refused.accept("x", () -> model.forward(m.zeros(new ai.djl.ndarray.types.Shape(3, b, t, in)), mem, null, null));     // runs
            refused.accept("memory", () -> model.forward(x, m.zeros(new ai.djl.ndarray.types.Shape(2, b, s, d + 1)), null, null));
            refused.accept("memory", () -> model.forward(x, m.zeros(new ai.djl.ndarray.types.Shape(2, b + 1, s, d)), null, null));
            refused.accept("link", () -> model.forward(x, mem, m.ones(new ai.djl.ndarray.types.Shape(3)), null));
            refused.accept("readProbe", () -> model.forward(x, mem, null, m.zeros(new ai.djl.ndarray.types.Shape(2, b, t, d + 1))));
            refused.accept("seeds", () -> new AttentionMemoryInterface(p, in, d, s, new long[]{1}));
        }
    }
}
