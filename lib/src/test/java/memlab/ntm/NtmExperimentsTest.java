package memlab.ntm;

import memlab.plot.Figure;
import memlab.stats.Finding;
import memlab.tasks.BitCopyTask;
import memlab.train.Optimizer;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import static org.junit.jupiter.api.Assertions.*;

/** The experiments of notebook 04's NTM part, run at toy size: their results, tables, figures and verdicts fit together. */
class NtmExperimentsTest {
    static final NtmConfig STRONG = new NtmConfig(4, 3, Controller.LSTM, 8, 6, 3, 1, 1, 1, true);
    static final NtmConfig HAMSTRUNG = new NtmConfig(4, 3, Controller.LSTM, 2, 6, 3, 1, 1, 1, false);
    static final NtmCopyTraining.Setup TRAINING = new NtmCopyTraining.Setup(STRONG, new BitCopyTask(2, 3, 3, 2), Optimizer.Rule.ADAM, 4);

    @Test
    void bypassExperimentTracesBothControllers() {
        BypassExperiment.Setup s = new BypassExperiment.Setup(TRAINING, HAMSTRUNG, 1e-2, 10, new long[]{3, 4}, 2, 3);
        BypassExperiment.Result r = BypassExperiment.train(s, false, NtmBatchedRunsTest.QUIET);
        assertEquals(java.util.List.of(0, 2, 3), r.trace(BypassExperiment.STRONG).steps());
        Table t = r.trace();
        assertEquals(2, t.stringColumn("condition").unique().size());
        assertEquals(java.util.Set.of(3L, 4L), new java.util.HashSet<>(t.longColumn("seed").asList()));
        // the hamstrung model's output sees only the reads: zeroing them leaves only the output bias, so its Δ is not zero
        assertTrue(java.util.Arrays.stream(r.last(BypassExperiment.HAMSTRUNG).deltaLoss()).allMatch(d -> Math.abs(d) > 1e-6));
        Table paths = DilutionFigures.pathNorms(t);
        assertEquals(java.util.Set.of("memory path", "controller", "output"), new java.util.HashSet<>(paths.stringColumn("path").asList()));
        assertEquals(2 * 2 * 3 * 3, paths.rowCount());   // conditions × seeds × steps × paths
        for (Figure f : new Figure[]{DilutionFigures.gradFlow(r), DilutionFigures.decorative(r), DilutionFigures.usage(r)}) assertFalse(f.json().isEmpty());
        assertEquals(2 * 2 * 2 * 6, DilutionFigures.usageTable(r).rowCount());   // conditions × kinds × seeds × slots
        for (Finding f : new Finding[]{DilutionClaims.gradFlow(r.trace(BypassExperiment.STRONG).reports(), 0.05),
                DilutionClaims.decorative(r.last(BypassExperiment.STRONG), r.last(BypassExperiment.HAMSTRUNG), 1, 1),
                DilutionClaims.usage(r.last(BypassExperiment.STRONG), r.last(BypassExperiment.HAMSTRUNG), 0.05, 1)})
            assertNotNull(f.outcome());
    }

    @Test
    void auxExperimentIsOneBatchedModel() {
        AuxExperiment.Setup s = new AuxExperiment.Setup(TRAINING, 1, 1e-2, 10, false, new long[]{3, 4}, 2, 3);
        AuxExperiment.Result r = AuxExperiment.train(s, NtmBatchedRunsTest.QUIET);
        assertEquals(4, r.runs().size());
        assertEquals(AuxExperiment.WITH, r.condition(0));
        assertEquals(AuxExperiment.WITHOUT, r.condition(3));
        assertTrue(r.curves().columnNames().contains(NtmCopyTraining.COST));
        assertFalse(DilutionFigures.aux(r, 2).json().isEmpty());
        assertNotNull(DilutionClaims.aux(r, 2, 0.5, 0.5).outcome());
    }

    @Test
    void recipeGridTrainsAllCellsTogether() {
        RecipeGrid.Result r = RecipeGrid.train(new RecipeGrid.Setup(TRAINING, 1e-2, 10, new long[]{1}, 1, 2), NtmBatchedRunsTest.QUIET);
        assertEquals(12, r.runs().size());
        assertEquals(12, r.cells().rowCount());
        assertEquals(TRAINING.steps(), r.cost(0).length);
        assertFalse(DilutionFigures.recipe(r, 2).json().isEmpty());
        assertNotNull(DilutionClaims.recipe(r, 1).outcome());
    }

    @Test
    void badSettingsFailNamingTheArgument() {
        NtmBadInputTest.fails(() -> new BypassExperiment.Setup(TRAINING, STRONG, 1e-2, 10, new long[]{1}, 2, 3), "hamstrung", "bypass");
        NtmBadInputTest.fails(() -> new BypassExperiment.Setup(new NtmCopyTraining.Setup(HAMSTRUNG, TRAINING.task(), Optimizer.Rule.ADAM, 4),
                HAMSTRUNG, 1e-2, 10, new long[]{1}, 2, 3), "strong", "bypass");
        NtmBadInputTest.fails(() -> new BypassExperiment.Setup(TRAINING, HAMSTRUNG, 1e-2, 10, new long[0], 2, 3), "seeds");
        NtmBadInputTest.fails(() -> new BypassExperiment.Setup(TRAINING, HAMSTRUNG, 1e-2, 10, new long[]{1}, 0, 3), "every", "> 0");
        NtmBadInputTest.fails(() -> new BypassExperiment.Setup(TRAINING, HAMSTRUNG, 1e-2, 10, new long[]{1}, 2, 0), "probeLength", "> 0");
        NtmBadInputTest.fails(() -> new AuxExperiment.Setup(TRAINING, 0, 1e-2, 10, false, new long[]{1}, 2, 3), "weight", "> 0");
        NtmBadInputTest.fails(() -> new AuxExperiment.Setup(TRAINING, 1, 1e-2, 10, false, new long[]{1}, 2, -1), "probeLength", "> 0");
    }
}
