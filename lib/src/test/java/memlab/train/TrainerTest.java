package memlab.train;

import memlab.tasks.TinyRegression;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class TrainerTest {
    private static RunRecorder train(long seed, double lr, int steps) {
        try (NDManager base = NDManager.newBaseManager()) {
            TinyRegression task = new TinyRegression(base, seed);
            try (Optimizer opt = Optimizer.adam(lr).clip(1.0)) {
                return Trainer.fit(task.params, opt, RunRecorder.single("t", Divergence.NON_FINITE), steps, task, null);
            }
        }
    }

    @Test
    void sameSeedGivesIdenticalNumbersOnCpu() {
        RunRecorder a = train(7, 1e-2, 30), b = train(7, 1e-2, 30), c = train(8, 1e-2, 30);
        double[] la = a.table().doubleColumn("loss").asDoubleArray();
        double[] lb = b.table().doubleColumn("loss").asDoubleArray();
        assertArrayEquals(la, lb, 0.0, "same seed must give bit-identical losses");
        assertNotEquals(la[29], c.table().doubleColumn("loss").asDoubleArray()[29], "another seed gives other numbers");
        assertTrue(la[29] < la[0] * 0.5, "the loss falls: " + la[0] + " -> " + la[29]);
    }

    @Test
    void batchedRunsEqualRunsTrainedAlone() {
        double[] alone3 = train(3, 1e-2, 20).table().doubleColumn("loss").asDoubleArray();
        try (NDManager base = NDManager.newBaseManager()) {
            TinyRegression task = new TinyRegression(base, 5, 3);
            try (Optimizer opt = Optimizer.adam(1e-2).clip(1.0).forRuns(2)) {
                RunRecorder rec = Trainer.fit(task.params, opt, new RunRecorder("b", 2, Divergence.NON_FINITE), 20, task, null);
                var t = rec.table();
                double[] batched3 = t.where(t.intColumn("run").isEqualTo(1)).doubleColumn("loss").asDoubleArray();
                assertArrayEquals(alone3, batched3, 1e-5);
            }
        }
    }

    @Test
    void aDivergingRunIsRecordedAndTheOthersGoOn() {
        try (NDManager base = NDManager.newBaseManager()) {
            TinyRegression task = new TinyRegression(base, 1, 1);
            // run 0: sane lr; run 1: absurd lr, no clipping -> blows up
            try (Optimizer opt = Optimizer.of(Optimizer.Rule.SGD, new double[]{1e-2, 1e6})) {
                RunRecorder rec = Trainer.fit(task.params, opt, new RunRecorder("d", 2, new Divergence(1e6)), 40, task, null);
                assertFalse(rec.diverged(0));
                assertTrue(rec.diverged(1));
                assertTrue(rec.divergedAt(1) < 10, "diverged at " + rec.divergedAt(1));
                var t = rec.table();
                assertEquals(40, t.where(t.intColumn("run").isEqualTo(0)).rowCount(), "the sane run trained all steps");
                assertTrue(Double.isFinite(rec.last(0, "loss")));
                assertFalse(opt.isAlive(1));
            }
        }
    }

    /** The two CSV files hold the recorded numbers: every step's metrics, and per run its metadata, outcome and final values. */
    @Test
    void recorderWritesStepsAndSummary(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        RunRecorder rec = train(1, 1e-2, 5).meta("seed", 1);
        rec.writeCsv(dir);
        tech.tablesaw.api.Table steps = tech.tablesaw.api.Table.read().csv(dir.resolve("t.csv").toFile());
        assertEquals(java.util.List.of("run", "step", "loss", "grad_norm"), steps.columnNames());
        double[] loss = rec.table().doubleColumn("loss").asDoubleArray(), norm = rec.table().doubleColumn("grad_norm").asDoubleArray();
        assertEquals(5, steps.rowCount());
        for (int i = 0; i < 5; i++) {
            assertEquals(0, steps.numberColumn("run").getDouble(i));
            assertEquals(i, steps.numberColumn("step").getDouble(i));
            assertEquals(loss[i], steps.numberColumn("loss").getDouble(i), 1e-6 * loss[i], "loss of step " + i);
            assertEquals(norm[i], steps.numberColumn("grad_norm").getDouble(i), 1e-6 * norm[i], "grad_norm of step " + i);
        }

        List<String> lines = Files.readAllLines(dir.resolve("t-runs.csv"));
        assertEquals(2, lines.size(), "one header, one run: " + lines);
        Map<String, String> summary = new java.util.LinkedHashMap<>();
        String[] head = lines.get(0).split(","), row = lines.get(1).split(",");
        for (int i = 0; i < head.length; i++) summary.put(head[i], row[i]);
        assertEquals(List.of("run", "device", "seed", "diverged", "diverged_at", "final_loss", "final_grad_norm", "wall_s"), List.copyOf(summary.keySet()));
        assertEquals("0", summary.get("run"));
        assertEquals("1", summary.get("seed"));
        assertEquals("cpu()", summary.get("device"));
        assertEquals("false", summary.get("diverged"));
        assertEquals("-1", summary.get("diverged_at"));
        assertEquals(loss[4], Double.parseDouble(summary.get("final_loss")), 1e-6 * loss[4]);
        assertEquals(norm[4], Double.parseDouble(summary.get("final_grad_norm")), 1e-6 * norm[4]);
        assertEquals(rec.wallSeconds(), Double.parseDouble(summary.get("wall_s")), 1e-9 + 1e-6 * rec.wallSeconds());
    }

    /** PyTorch starts every thread with autograd recording on; a step must update its parameters on any thread. */
    @org.junit.jupiter.api.Test
    void aStepUpdatesItsParametersOnAThreadOtherThanTheEngines() throws Exception {
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        float[] after = new float[1];
        Thread t = new Thread(() -> {
            try (ai.djl.ndarray.NDManager base = ai.djl.ndarray.NDManager.newBaseManager(); ParamSet p = new ParamSet(base, 1);
                 Optimizer opt = Optimizer.of(Optimizer.Rule.SGD, new double[]{0.5})) {
                p.add("w", new ai.djl.ndarray.types.Shape(1), r -> new float[]{1});
                try (Step step = Step.open(base, p.arrays(), opt.state())) {
                    try (ai.djl.training.GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                        gc.backward(p.get("w").square().sum());          // dL/dw = 2w = 2
                    }
                    opt.step(p, step.manager());
                }
                after[0] = p.get("w").toFloatArray()[0];
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.start();
        t.join();
        if (failure.get() != null) throw new AssertionError("step on a second thread failed", failure.get());
        org.junit.jupiter.api.Assertions.assertEquals(0f, after[0], 1e-6f);   // 1 − 0.5·2
    }
}
