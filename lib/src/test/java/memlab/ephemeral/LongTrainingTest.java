package memlab.ephemeral;

import memlab.tasks.chars.KeyRecall;
import memlab.tasks.chars.ReversedSequence;
import memlab.train.Divergence;
import memlab.train.RunRecorder;
import memlab.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Long trainings: block-mean metrics, and a run killed and resumed gives the numbers of one that never stopped. */
class LongTrainingTest {
    static final List<RunConfig> RUNS = List.of(
            new RunConfig(1, 1e-2, 300, 0.2, 0.7, Double.POSITIVE_INFINITY),
            new RunConfig(2, 3e-2, 100, 0.1, 0.5, 0.3));
    /** Ephemeral state carried from step to step (no reset), recurrence, lazy decay: everything a checkpoint must hold. */
    static final ModelConfig CARRY = new ModelConfig(16, 2, true, Updater.DFA, false, DecayTarget.DEVIATION);

    /** A listener that stops the training at a step, as a kill would (after that step's checkpoint, if any). */
    static Trainer.Listener killAt(int step) {
        return (s, n, m) -> {
            if (s == step) throw new IllegalStateException("killed at step " + step);
        };
    }

    static void assertSameTables(Table expected, Table actual) {
        assertEquals(expected.columnNames(), actual.columnNames());
        assertEquals(expected.rowCount(), actual.rowCount(), "rows");
        for (String c : expected.columnNames())
            for (int i = 0; i < expected.rowCount(); i++)
                assertEquals(expected.getString(i, c), actual.getString(i, c), c + " at row " + i);
    }

    /** With stride 1 the log is the recorder of {@link EphemeralTraining}: an independent loop gives the same rows, divergence included. */
    @Test
    void strideOneEqualsTheRecorderOfTheShortTraining(@TempDir Path dir) {
        List<RunConfig> runs = List.of(RunConfig.ephemeral(1, 1e-2, 300, 0.2, 0.7), RunConfig.ephemeral(1, 50, 1e5, 0.5, 1.0));
        ModelConfig cfg = ModelConfig.ephemeral(16, 2).withUpdater(Updater.BACKPROP);
        EphemeralTraining.Result shortRun = EphemeralTraining.train("d", KeyRecall.paper(), cfg, runs, 6, EphemeralTraining.EXPLODED, null);
        LongTraining.Result longRun = LongTraining.train("d", KeyRecall.paper(), cfg, runs, new LongTraining.Plan(6, 1, 2, dir.resolve("c")),
                EphemeralTraining.EXPLODED, null);
        assertTrue(shortRun.recorder().diverged(1), "the lr-50 run should explode");
        assertEquals(shortRun.recorder().divergedAt(1), longRun.log().divergedAt(1));
        assertSameTables(shortRun.recorder().table().sortAscendingOn("run", "step"), longRun.log().table());   // the recorder is step-major
        assertEquals(shortRun.recorder().tailMean(0, RunRecorder.LOSS, 3), longRun.log().tailMean(0, RunRecorder.LOSS, 3), 1e-6);
    }

    @Test
    void resumedRunEqualsUninterruptedRun(@TempDir Path dir) {
        for (ModelConfig cfg : List.of(CARRY, ModelConfig.ephemeral(16, 2), CARRY.withUpdater(Updater.BPTT).withDecayTarget(DecayTarget.VALUE)))
            resumes(dir, cfg, RUNS);
    }

    /** The authors' switches (GELU; a zero start beside a uniform one) resume as well. */
    @Test
    void resumedRunWithTheAuthorsSwitchesEqualsUninterruptedRun(@TempDir Path dir) {
        resumes(dir, CARRY.withActivation(HiddenActivation.GELU), List.of(RUNS.get(0).withInit(Initialisation.ZERO_WEIGHTS), RUNS.get(1)));
    }

    private static void resumes(Path dir, ModelConfig cfg, List<RunConfig> runs) {
        ReversedSequence task = ReversedSequence.threeChar();
        Path once = dir.resolve("once-" + cfg.hashCode()), twice = dir.resolve("twice-" + cfg.hashCode());
        LongTraining.Result whole = LongTraining.train("r", task, cfg, runs, new LongTraining.Plan(12, 2, 4, once), Divergence.NON_FINITE, null);
        assertEquals(0, whole.resumedFrom());
        assertThrows(IllegalStateException.class,
                () -> LongTraining.train("r", task, cfg, runs, new LongTraining.Plan(12, 2, 4, twice), Divergence.NON_FINITE, killAt(9)));
        LongTraining.Result resumed = LongTraining.train("r", task, cfg, runs, new LongTraining.Plan(12, 2, 4, twice), Divergence.NON_FINITE, null);
        assertEquals(8, resumed.resumedFrom(), "continues from the last checkpoint (step 8), not from 0");
        assertSameTables(whole.log().table(), resumed.log().table());
        assertEquals(6 * runs.size(), resumed.log().table().rowCount(), "12 steps, stride 2: 6 rows per run");
        // the final models are the same too: their checkpoints hold the same numbers
        assertEquals(stateOf(once, cfg, runs), stateOf(twice, cfg, runs), cfg.toString());
    }

    /** A run continued to a longer budget is the longer run. */
    @Test
    void continuedToLongerBudgetEqualsLongerRun(@TempDir Path dir) {
        ReversedSequence task = ReversedSequence.threeChar();
        LongTraining.Result whole = LongTraining.train("r", task, CARRY, RUNS, new LongTraining.Plan(8, 2, 4, dir.resolve("a")), Divergence.NON_FINITE, null);
        LongTraining.train("r", task, CARRY, RUNS, new LongTraining.Plan(4, 2, 4, dir.resolve("b")), Divergence.NON_FINITE, null);
        LongTraining.Result more = LongTraining.train("r", task, CARRY, RUNS, new LongTraining.Plan(8, 2, 4, dir.resolve("b")), Divergence.NON_FINITE, null);
        assertEquals(4, more.resumedFrom());
        assertSameTables(whole.log().table(), more.log().table());
        IllegalStateException shorter = assertThrows(IllegalStateException.class,
                () -> LongTraining.train("r", task, CARRY, RUNS, new LongTraining.Plan(4, 2, 4, dir.resolve("b")), Divergence.NON_FINITE, null));
        assertTrue(shorter.getMessage().contains("beyond the 4 steps"), shorter.getMessage());
    }

    private static String stateOf(Path file, ModelConfig cfg, List<RunConfig> runs) {
        EphemeralNet.State s = Checkpoint.read(file, LongTraining.fingerprint("r", ReversedSequence.threeChar(), cfg, runs, 2, Divergence.NON_FINITE),
                new MetricLog(runs.size(), 2, Divergence.NON_FINITE)).state();
        StringBuilder sb = new StringBuilder(java.util.Arrays.toString(s.live()) + java.util.Arrays.toString(s.scale()));
        s.slow().forEach((k, v) -> sb.append(k).append(java.util.Arrays.toString(v)));
        return sb.append(java.util.Arrays.toString(s.eIn())).append(java.util.Arrays.toString(s.eRec())).toString();
    }

    @Test
    void damagedOrForeignCheckpointFailsClearly(@TempDir Path dir) throws Exception {
        ReversedSequence task = ReversedSequence.threeChar();
        Path file = dir.resolve("c");
        LongTraining.train("r", task, CARRY, RUNS, new LongTraining.Plan(4, 2, 2, file), Divergence.NON_FINITE, null);
        byte[] good = Files.readAllBytes(file);

        byte[] flipped = good.clone();
        flipped[flipped.length / 2] ^= 1;
        Files.write(file, flipped);
        IllegalStateException damaged = assertThrows(IllegalStateException.class,
                () -> LongTraining.train("r", task, CARRY, RUNS, new LongTraining.Plan(8, 2, 2, file), Divergence.NON_FINITE, null));
        assertTrue(damaged.getMessage().contains("damaged") && damaged.getMessage().contains(file.toString()), damaged.getMessage());

        Files.write(file, java.util.Arrays.copyOf(good, good.length / 3));
        IllegalStateException cut = assertThrows(IllegalStateException.class,
                () -> LongTraining.train("r", task, CARRY, RUNS, new LongTraining.Plan(8, 2, 2, file), Divergence.NON_FINITE, null));
        assertTrue(cut.getMessage().contains("damaged"), cut.getMessage());

        Files.write(file, good);
        List<RunConfig> other = List.of(RUNS.get(0), RUNS.get(1).withLr(4e-2));
        IllegalStateException foreign = assertThrows(IllegalStateException.class,
                () -> LongTraining.train("r", task, CARRY, other, new LongTraining.Plan(8, 2, 2, file), Divergence.NON_FINITE, null));
        assertTrue(foreign.getMessage().contains("another training") && foreign.getMessage().contains("lr="), foreign.getMessage());
        assertThrows(IllegalStateException.class, () -> LongTraining.train("r", task, CARRY, RUNS, new LongTraining.Plan(8, 1, 2, file), Divergence.NON_FINITE, null),
                "another stride is another training");
        // the good file still resumes
        assertEquals(4, LongTraining.train("r", task, CARRY, RUNS, new LongTraining.Plan(8, 2, 2, file), Divergence.NON_FINITE, null).resumedFrom());
    }

    /**
     * The switches are part of what a checkpoint belongs to: a training of another initialisation or
     * activation does not resume from it; with the text's switches the fingerprint is the one written
     * before the switches existed, so earlier checkpoints still resume.
     */
    @Test
    void switchesAreInTheFingerprint(@TempDir Path dir) {
        ReversedSequence task = ReversedSequence.threeChar();
        Path file = dir.resolve("c");
        LongTraining.train("r", task, CARRY, RUNS, new LongTraining.Plan(4, 2, 2, file), Divergence.NON_FINITE, null);
        IllegalStateException gelu = assertThrows(IllegalStateException.class,
                () -> LongTraining.train("r", task, CARRY.withActivation(HiddenActivation.GELU), RUNS, new LongTraining.Plan(8, 2, 2, file), Divergence.NON_FINITE, null));
        assertTrue(gelu.getMessage().contains("another training"), gelu.getMessage());
        List<RunConfig> zero = List.of(RUNS.get(0), RUNS.get(1).withInit(Initialisation.ZERO_WEIGHTS));
        IllegalStateException init = assertThrows(IllegalStateException.class,
                () -> LongTraining.train("r", task, CARRY, zero, new LongTraining.Plan(8, 2, 2, file), Divergence.NON_FINITE, null));
        assertTrue(init.getMessage().contains("another training"), init.getMessage());
        String print = LongTraining.fingerprint("r", task, CARRY, RUNS, 2, Divergence.NON_FINITE);
        assertTrue(print.contains("|ModelConfig[hidden=16, batch=2, recurrence=true, updater=DFA, resetEachSequence=false, decayTarget=DEVIATION]|"
                + "[RunConfig[seed=1, lr=0.01, plasticity=300.0, fraction=0.2, forgetRate=0.7, clip=Infinity], "
                + "RunConfig[seed=2, lr=0.03, plasticity=100.0, fraction=0.1, forgetRate=0.5, clip=0.3]]|"), print);
        assertTrue(LongTraining.fingerprint("r", task, CARRY.withActivation(HiddenActivation.GELU), RUNS, 2, Divergence.NON_FINITE)
                .contains("decayTarget=DEVIATION, activation=GELU]|"));
    }

    @Test
    void planRefusesMisalignedSteps() {
        Path p = Path.of("x");
        assertThrows(IllegalArgumentException.class, () -> new LongTraining.Plan(10, 4, 4, p));
        assertThrows(IllegalArgumentException.class, () -> new LongTraining.Plan(8, 4, 6, p));
        assertThrows(IllegalArgumentException.class, () -> new LongTraining.Plan(0, 1, 1, p));
    }

    /** Block means by hand: finite values only, NaN when none; a diverging step is its run's last row, with its own values. */
    @Test
    void blockMeansByHand() {
        MetricLog log = new MetricLog(2, 2, new Divergence(50));
        log.add(0, Map.of("loss", new float[]{1, 2}, "acc", new float[]{Float.NaN, 0.5f}));
        log.add(1, Map.of("loss", new float[]{3, 2}, "acc", new float[]{0.25f, Float.NaN}));
        log.add(2, Map.of("loss", new float[]{5, 60}, "acc", new float[]{Float.NaN, 0.1f}));
        assertTrue(log.midBlock(), "run 0's block 2..3 is open");
        boolean[] alive = log.add(3, Map.of("loss", new float[]{7, Float.NaN}, "acc", new float[]{Float.NaN, Float.NaN}));
        assertArrayEquals(new boolean[]{true, false}, alive);
        assertFalse(log.midBlock());
        Table t = log.table();
        assertEquals(List.of(0, 0, 1, 1), t.intColumn("run").asList());
        assertEquals(List.of(1, 3, 1, 2), t.intColumn("step").asList());
        assertArrayEquals(new double[]{2, 6, 2, 60}, t.doubleColumn("loss").asDoubleArray(), 1e-6);
        double[] acc = t.doubleColumn("acc").asDoubleArray();
        assertEquals(0.25, acc[0], 1e-6);
        assertTrue(Double.isNaN(acc[1]), "no finite accuracy in the block");
        assertEquals(0.5, acc[2], 1e-6);
        assertEquals(0.1, acc[3], 1e-6, "the diverging step's own value");
        assertEquals(2, log.divergedAt(1));
        assertEquals(60, log.tailMean(1, "loss", 4), 1e-6, "a diverged run: the value that broke the rule");
        assertEquals(4, log.tailMean(0, "loss", 4), 1e-6, "blocks ending in the last 4 steps: (2 + 6) / 2");
        assertEquals(6, log.tailMean(0, "loss", 2), 1e-6);
        assertThrows(IllegalArgumentException.class, () -> log.add(4, Map.of("loss", new float[]{1, 1})), "other metrics than the first step's");
    }
}
