package memlab.ntm;

import memlab.diagnostics.AttentionSummary;
import memlab.diagnostics.Diagnostics;
import memlab.diagnostics.GroupGradients;
import memlab.notebook.Outcome;
import memlab.stats.Finding;
import memlab.tasks.BitCopyTask;
import memlab.train.Divergence;
import memlab.train.Optimizer;
import memlab.train.RunRecorder;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The verdicts of notebook 04's NTM part on hand-made numbers: each way a claim can come out, ties, NaN, nothing reached. */
class DilutionClaimsTest {
    static final List<String> GROUPS = List.of("key", "strength", "gate", "shift", "sharpening", "erase", "add", "controller", "output");

    /** A report whose runs have memory-path norm {@code mem} (all in "key"), controller norm {@code ctl}, output norm 1. */
    static Diagnostics.Report report(double[] mem, double[] ctl, double[] loss, double[] ablated, double[] readEntropy, double[] readSlots) {
        int runs = mem.length;
        double[][] norms = new double[runs][GROUPS.size()];
        double[] total = new double[runs];
        for (int r = 0; r < runs; r++) {
            norms[r][0] = mem[r];
            norms[r][7] = ctl[r];
            norms[r][8] = 1;
            total[r] = Math.sqrt(mem[r] * mem[r] + ctl[r] * ctl[r] + 1);
        }
        double[][] usage = new double[runs][]; 
        for (int r = 0; r < runs; r++) usage[r] = new double[]{0.5, 0.5};
        AttentionSummary read = new AttentionSummary(new double[runs], readEntropy, usage, readSlots);
        return new Diagnostics.Report(new GroupGradients(GROUPS, norms, total), Map.of("read", read, "write", read), loss, ablated);
    }

    static double[] v(double... x) { return x; }

    @Test
    void gradFlowComparesTheMemoryPathShareWithTheController() {
        // shares: memory 1/11, controller 9/11 -> diluted
        Diagnostics.Report diluted = report(v(1, 1), v(3, 3), v(1, 1), v(1, 1), v(0.5, 0.5), v(2, 2));
        assertArrayEquals(v(1.0 / 11, 1.0 / 11), DilutionClaims.meanShare(List.of(diluted), DilutionClaims.MEMORY_PATH), 1e-12);
        assertEquals(Outcome.REPRODUCED, DilutionClaims.gradFlow(List.of(diluted, diluted), 0.05).outcome());
        // the reverse: the memory path gets most of the gradient
        Diagnostics.Report strongMemory = report(v(3, 3), v(1, 1), v(1, 1), v(1, 1), v(0.5, 0.5), v(2, 2));
        assertEquals(Outcome.NOT_REPRODUCED, DilutionClaims.gradFlow(List.of(strongMemory), 0.05).outcome());
        // a tie: equal shares are "no difference", which does not reproduce the claim
        Diagnostics.Report tie = report(v(2, 2), v(2, 2), v(1, 1), v(1, 1), v(0.5, 0.5), v(2, 2));
        Finding f = DilutionClaims.gradFlow(List.of(tie), 0.05);
        assertEquals(Outcome.NOT_REPRODUCED, f.outcome());
        assertTrue(f.text().contains("within the tolerance"), f.text());
        // every run without a finite gradient (diverged): untestable, not a guess
        Diagnostics.Report nan = report(v(Double.NaN, Double.NaN), v(Double.NaN, Double.NaN), v(1, 1), v(1, 1), v(0.5, 0.5), v(2, 2));
        assertEquals(Outcome.UNTESTABLE, DilutionClaims.gradFlow(List.of(nan), 0.05).outcome());
    }

    @Test
    void decorativeNeedsTheHamstrungAblationToCostMoreAndTheStrongOneToCostLittle() {
        Diagnostics.Report strong = report(v(1, 1), v(1, 1), v(10, 12), v(10.2, 12.1), v(0.9, 0.9), v(5, 5));     // Δ 0.2, 0.1
        Diagnostics.Report ham = report(v(1, 1), v(1, 1), v(20, 22), v(60, 70), v(0.2, 0.2), v(2, 2));            // Δ 40, 48
        assertArrayEquals(v(0.2, 0.1), strong.deltaLoss(), 1e-9);
        assertEquals(Outcome.REPRODUCED, DilutionClaims.decorative(strong, ham, 1, 1).outcome());
        // the strong model uses its memory too: Δ above the decorative level -> partly
        Diagnostics.Report usesMemory = report(v(1, 1), v(1, 1), v(10, 12), v(20, 22), v(0.9, 0.9), v(5, 5));
        assertEquals(Outcome.PARTLY, DilutionClaims.decorative(usesMemory, ham, 1, 1).outcome());
        // no difference and nothing decorative
        assertEquals(Outcome.NOT_REPRODUCED, DilutionClaims.decorative(ham, ham, 1, 1).outcome());
        // NaN everywhere in the strong runs (diverged)
        Diagnostics.Report nan = report(v(1, 1), v(1, 1), v(Double.NaN, Double.NaN), v(1, 1), v(0.9, 0.9), v(5, 5));
        assertEquals(Outcome.UNTESTABLE, DilutionClaims.decorative(nan, ham, 1, 1).outcome());
    }

    @Test
    void usageComparesEntropyAndEffectiveSlots() {
        Diagnostics.Report strong = report(v(1, 1), v(1, 1), v(1, 1), v(1, 1), v(0.9, 0.8), v(2, 3));
        Diagnostics.Report ham = report(v(1, 1), v(1, 1), v(1, 1), v(1, 1), v(0.2, 0.3), v(10, 12));
        assertEquals(Outcome.REPRODUCED, DilutionClaims.usage(strong, ham, 0.05, 1).outcome());
        assertEquals(Outcome.NOT_REPRODUCED, DilutionClaims.usage(ham, strong, 0.05, 1).outcome());
        assertEquals(Outcome.NOT_REPRODUCED, DilutionClaims.usage(ham, ham, 0.05, 1).outcome());   // a tie
    }

    @Test
    void auxNeedsMoreMemoryUseAndFewerErrors() {
        assertEquals(Outcome.REPRODUCED, DilutionClaims.aux(v(5, 6), v(0.1, 0.2), v(1, 2), v(10, 11), 10, 0.5, 0.5).outcome());
        assertEquals(Outcome.PARTLY, DilutionClaims.aux(v(5, 6), v(0.1, 0.2), v(10, 11), v(10, 11), 10, 0.5, 0.5).outcome());
        assertEquals(Outcome.NOT_REPRODUCED, DilutionClaims.aux(v(0.1, 0.2), v(0.1, 0.2), v(10, 11), v(10, 11), 10, 0.5, 0.5).outcome());
        Finding nan = DilutionClaims.aux(v(Double.NaN, Double.NaN), v(0.1, 0.2), v(Double.NaN, Double.NaN), v(10, 11), 10, 0.5, 0.5);
        assertEquals(Outcome.UNTESTABLE, nan.outcome());
        assertTrue(nan.text().contains("no finite value"), nan.text());
    }

    /** A recipe grid's result with hand-written cost curves: cost(init, clip, curriculum, seed) per step. */
    static RecipeGrid.Result grid(java.util.function.Function<NtmCopyTraining.Run, double[]> curve) {
        NtmCopyTraining.Setup training = new NtmCopyTraining.Setup(new NtmConfig(4, 3, Controller.LSTM, 4, 8, 2, 1, 1, 1, true),
                new BitCopyTask(1, 3, 2, 2), Optimizer.Rule.ADAM, 10);
        RecipeGrid.Setup setup = new RecipeGrid.Setup(training, 1e-3, 10, new long[]{0, 1}, 1, 2);
        List<NtmCopyTraining.Run> runs = setup.runs();
        RunRecorder rec = new RunRecorder("fake", runs.size(), Divergence.NON_FINITE);
        List<double[]> curves = new ArrayList<>();
        for (NtmCopyTraining.Run r : runs) curves.add(curve.apply(r));
        for (int s = 0; s < 10; s++) {
            float[] loss = new float[runs.size()];
            for (int r = 0; r < runs.size(); r++) loss[r] = (float) curves.get(r)[s];
            rec.record(s, Map.of(RunRecorder.LOSS, loss));
        }
        return new RecipeGrid.Result(setup, runs, rec);
    }

    static double[] dropsAt(int step) {
        double[] c = new double[10];
        for (int s = 0; s < 10; s++) c[s] = s < step ? 20 : 0.1;
        return c;
    }

    static final double[] NEVER = dropsAt(99);

    @Test
    void recipeUntestableWhenNothingConverged() {
        Finding f = DilutionClaims.recipe(grid(r -> NEVER), 0.5);
        assertEquals(Outcome.UNTESTABLE, f.outcome());
        assertTrue(f.text().contains("no run reached a cost below 1 bit"), f.text());
        assertTrue(f.text().contains("no run diverged"), f.text());
    }

    @Test
    void recipeReproducedWhenConstantIsFasterTheRecipeHelpsAndClippingPreventsNaN() {
        RecipeGrid.Result r = grid(run -> {
            boolean clip = !Double.isInfinite(run.clip());
            if (!clip && run.seed() == 1) { double[] c = dropsAt(99); c[5] = Double.NaN; return c; }   // unclipped runs of seed 1 blow up
            if (!clip || !run.curriculum()) return NEVER;
            return dropsAt(run.init() == MemoryInit.CONSTANT ? 3 : 7);
        });
        assertTrue(r.recorder().diverged(r.runs().indexOf(new NtmCopyTraining.Run(MemoryInit.RANDOM, 1e-3, Double.POSITIVE_INFINITY, true, 1))));
        assertEquals(Outcome.REPRODUCED, DilutionClaims.recipe(r, 0.5).outcome(), DilutionClaims.recipe(r, 0.5).text());
        // the cells: the full recipe's constant cell converged in every seed, after 4 steps (curriculum full at step 2, window 2, drop at 3 -> step 4)
        var cells = r.cells();
        int row = -1;
        for (int i = 0; i < cells.rowCount(); i++)
            if (cells.stringColumn("init").get(i).equals("constant") && cells.stringColumn("clipping").get(i).equals("on")
                    && cells.stringColumn("curriculum").get(i).equals("on")) row = i;
        assertEquals(1.0, cells.doubleColumn("converged_share").getDouble(row));
        assertEquals(0.0, cells.doubleColumn("nan_share").getDouble(row));
        assertEquals(4.0, cells.doubleColumn("median_steps").getDouble(row));
        assertEquals(12, cells.rowCount());
    }

    @Test
    void recipeNotReproducedWhenEveryCellIsTheSame() {
        Finding f = DilutionClaims.recipe(grid(run -> dropsAt(3)), 0.5);   // ties everywhere, no NaN
        assertNotEquals(Outcome.REPRODUCED, f.outcome());
        assertTrue(f.text().contains("within the tolerance"), f.text());
    }
}
