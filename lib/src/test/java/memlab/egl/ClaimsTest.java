package memlab.egl;

import memlab.egl.CopyExperiment.Attention;
import memlab.egl.CopyExperiment.Result;
import memlab.egl.CopyExperiment.Run;
import memlab.notebook.Outcome;
import memlab.stats.Finding;
import memlab.train.Optimizer;
import memlab.train.RunRecorder;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The EGL claims judged on hand-made curves: each outcome, and the edges (ties, censoring, NaN, nothing diverged). */
class ClaimsTest {
    /** Runs alternate link on / off per seed; curves[i] is run i's loss per epoch (link-gradient norm = link ? given : 0). */
    private static Result result(double[][] losses, double[][] linkNorms, List<Attention> attention) {
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < losses.length; i++) runs.add(Run.of(Optimizer.Rule.ADAM, 5e-4, 1.0, i % 2 == 0, i / 2));
        RunRecorder rec = new RunRecorder("t", runs.size(), CopyExperiment.DIVERGED);
        for (int e = 0; e < losses[0].length; e++) {
            float[] loss = new float[runs.size()], link = new float[runs.size()], gn = new float[runs.size()];
            for (int r = 0; r < runs.size(); r++) {
                loss[r] = (float) losses[r][e];
                link[r] = linkNorms == null ? 0 : (float) linkNorms[r][e];
            }
            rec.record(e, Map.of(RunRecorder.LOSS, loss, CopyExperiment.LINK_GRAD_NORM, link, "grad_norm", gn));
        }
        return new Result(runs, rec.finish(), attention);
    }

    private static double[] plateauThenFall(int epochs, int takeOff, double end) {
        double[] c = new double[epochs];
        for (int e = 0; e < epochs; e++) c[e] = e < takeOff ? 1.0 : 1.0 - (1.0 - end) * (e - takeOff + 1) / (epochs - takeOff);
        return c;
    }

    @Test
    void takeOffIsTheFirstEpochBelowTheLevelAndCensoredAtTheEnd() {
        // 1 − 0.8·(e − 4)/35 < 0.9 first at e = 9
        assertEquals(9, Claims.takeOffEpoch(plateauThenFall(40, 5, 0.2), 0.9, 1));
        assertEquals(0, Claims.takeOffEpoch(new double[40], 0.9, 1));
        double[] flat = new double[40];
        java.util.Arrays.fill(flat, 1.0);
        assertEquals(40, Claims.takeOffEpoch(flat, 0.9, 3), "a run that never leaves the plateau is censored at its length");
        double[] exactly = flat.clone();
        exactly[7] = 0.9;
        assertEquals(40, Claims.takeOffEpoch(exactly, 0.9, 1), "reaching the level is not being below it");
        double[] nan = flat.clone();
        nan[3] = Double.NaN;
        assertEquals(40, Claims.takeOffEpoch(nan, 0.9, 1));
    }

    @Test
    void lossClaimReproducedWhenTheLinkTakesOffEarlierAndEndsLower() {
        double[][] l = {plateauThenFall(60, 5, 0.3), plateauThenFall(60, 40, 0.8), plateauThenFall(60, 6, 0.3), plateauThenFall(60, 45, 0.8)};
        Finding f = Claims.loss(result(l, null, List.of()), 5, 1, 3, 0.02);
        assertEquals(Outcome.REPRODUCED, f.outcome(), f.text());
        assertTrue(f.text().contains("take-off epoch"), f.text());
    }

    @Test
    void lossClaimPartlyWhenOnlyTheTakeOffDiffers() {
        double[][] l = {plateauThenFall(60, 5, 0.3), plateauThenFall(60, 40, 0.3), plateauThenFall(60, 6, 0.3), plateauThenFall(60, 41, 0.3)};
        Finding f = Claims.loss(result(l, null, List.of()), 1, 1, 3, 0.02);   // the last epoch: 0.3 in every run
        assertEquals(Outcome.PARTLY, f.outcome(), f.text());
        assertTrue(f.text().contains("within the tolerance"), f.text());
        assertTrue(f.text().contains("never below it within 60 epochs: 0 of 2 linked runs"), f.text());
    }

    @Test
    void identicalCurvesAreNoEffectNotReproduced() {
        double[] c = plateauThenFall(60, 20, 0.5);
        Finding f = Claims.loss(result(new double[][]{c, c, c, c}, null, List.of()), 5, 1, 3, 0.02);
        assertEquals(Outcome.NOT_REPRODUCED, f.outcome(), f.text());
    }

    @Test
    void gradNormCorrelatesWithTheFastestDescent() {
        double[] loss = plateauThenFall(60, 20, 0.2);
        double[] link = new double[60], anti = new double[60];
        for (int e = 0; e < 60; e++) { link[e] = e >= 20 ? 1 : 0.01 * e; anti[e] = 1 - link[e]; }
        double[][] l = {loss, loss}, on = {link, link}, against = {anti, anti};
        assertEquals(Outcome.REPRODUCED, Claims.gradNorm(result(l, on, List.of()), 2, 0.3).outcome());
        assertEquals(Outcome.NOT_REPRODUCED, Claims.gradNorm(result(l, against, List.of()), 2, 0.3).outcome());
        double[] flat = new double[60];
        java.util.Arrays.fill(flat, 1.0);
        assertEquals(Outcome.UNTESTABLE, Claims.gradNorm(result(new double[][]{flat, flat}, on, List.of()), 2, 0.3).outcome(),
                "a flat loss has no descent to correlate with");
    }

    @Test
    void readsFollowingWritesAreJudgedAgainstChance() {
        int t = 20, s = 10;
        float[][] diag = new float[t][s], shifted = new float[t][s];
        for (int i = 0; i < t; i++) { diag[i][i % s] = 1; shifted[i][(i + 1) % s] = 1; }
        double[][] l = {plateauThenFall(5, 1, 0.5), plateauThenFall(5, 1, 0.5)};
        Finding follows = Claims.attention(result(l, null, List.of(new Attention(4, 0, diag, diag), new Attention(4, 1, shifted, shifted))), 4, 0.02, 0.01);
        assertTrue(follows.text().contains("20 of 20"), follows.text());
        Finding never = Claims.attention(result(l, null, List.of(new Attention(4, 0, diag, shifted), new Attention(4, 1, diag, diag))), 4, 0.02, 0.01);
        assertTrue(never.text().contains("0 of 20"), never.text());
        assertEquals(Outcome.NOT_REPRODUCED, never.outcome(), "equally sharp writes and reads that never follow: " + never.text());
        Finding none = Claims.attention(result(l, null, List.of()), 4, 0.02, 0.01);
        assertEquals(Outcome.UNTESTABLE, none.outcome());
    }

    @Test
    void binomialTailMatchesHandComputedValues() {
        assertEquals(1.0, Claims.binomialUpperTail(0, 10, 0.05));
        assertEquals(1 - Math.pow(0.95, 10), Claims.binomialUpperTail(1, 10, 0.05), 1e-12);
        assertEquals(Math.pow(0.5, 3), Claims.binomialUpperTail(3, 3, 0.5), 1e-12);
        assertEquals(0.0, Claims.binomialUpperTail(4, 3, 0.5));
        assertTrue(Claims.binomialUpperTail(900, 5000, 0.01) < 1e-100, "no underflow to NaN at large n");
        assertThrows(IllegalArgumentException.class, () -> Claims.binomialUpperTail(1, 3, 1.5));
    }

    private static Table sweep(String... rows) {
        Table t = Table.create("s", DoubleColumn.create("lr"), StringColumn.create("clip"), StringColumn.create("link"), StringColumn.create("outcome"));
        for (String row : rows) {
            String[] f = row.split(",");
            t.doubleColumn("lr").append(Double.parseDouble(f[0]));
            t.stringColumn("clip").append(f[1]);
            t.stringColumn("link").append(f[2]);
            t.stringColumn("outcome").append(f[3]);
        }
        return t;
    }

    @Test
    void stabilityNeedsAnExplosionBeforeClippingCanBeJudged() {
        Finding both = Claims.stability(sweep("1e-3,off,on,diverged", "1e-3,1.0,on,stable", "1e-4,off,on,diverged"), 1e-3);
        assertEquals(Outcome.REPRODUCED, both.outcome(), both.text());
        Finding noExplosion = Claims.stability(sweep("1e-3,off,on,stable", "1e-3,1.0,on,stable"), 1e-3);
        assertEquals(Outcome.NOT_REPRODUCED, noExplosion.outcome(), noExplosion.text());
        assertTrue(noExplosion.text().contains("cannot be shown"), noExplosion.text());
        Finding clipUseless = Claims.stability(sweep("3e-3,off,on,diverged", "3e-3,1.0,on,diverged"), 1e-3);
        assertEquals(Outcome.PARTLY, clipUseless.outcome(), clipUseless.text());
        assertEquals(Outcome.UNTESTABLE, Claims.stability(sweep("1e-4,off,on,stable"), 1e-3).outcome());
    }

    @Test
    void perSettingNamesEachSettingAndCombinesOutcomes() {
        var m = new java.util.LinkedHashMap<String, Finding>();
        m.put("AdamW", new Finding(Outcome.NOT_REPRODUCED, "flat"));
        m.put("Adam", new Finding(Outcome.REPRODUCED, "falls"));
        Finding f = Claims.perSetting(m);
        assertEquals(Outcome.PARTLY, f.outcome());
        assertEquals("AdamW [not reproduced]: flat | Adam [reproduced]: falls", f.text());
        Finding reports = Claims.perSetting(java.util.Map.of("a", new Finding(Outcome.REPORTED, "x")));
        assertEquals(Outcome.REPORTED, reports.outcome(), "a report is not a reproduction");
    }

    @Test
    void stabilityCountsOneRowPerCell() {
        Table s = sweep("1e-3,off,on,diverged", "1e-3,off,on,stable", "1e-4,1.0,off,stable");
        s.addColumns(DoubleColumn.create("final_loss", new double[]{Double.NaN, 0.5, 0.7}), DoubleColumn.create("max_grad_norm", new double[]{1e9, 3, 2}));
        Table c = Claims.stabilityCounts(s);
        assertEquals(2, c.rowCount());
        Table hi = c.where(c.doubleColumn("lr").isEqualTo(1e-3));
        assertEquals(1, hi.intColumn("diverged").get(0));
        assertEquals(2, hi.intColumn("runs").get(0));
        assertEquals(0.5, hi.doubleColumn("final_loss_mean").get(0), 1e-12, "the diverged run is left out of the mean");
    }
}
