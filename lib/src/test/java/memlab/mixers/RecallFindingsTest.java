package memlab.mixers;

import memlab.notebook.Outcome;
import memlab.stats.Finding;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The verdicts of dil-mqar and dil-hybrid on made-up runs whose answer is known. */
class RecallFindingsTest {
    static final long[] SEEDS = {1, 2, 3};

    static RecallExperiment.Result point(MixerSpec mixer, int width, long state, double... acc) {
        return new RecallExperiment.Result(new RecallExperiment.Point(mixer, width), state, SEEDS, acc, new double[acc.length], 1);
    }

    /** A run where everything the essay says holds: windows 2..32 climb from 20% to 99%, DeltaNet above linear attention. */
    static List<RecallExperiment.Result> textbook() {
        List<RecallExperiment.Result> r = new ArrayList<>();
        r.add(point(MixerSpec.attention(1), 32, 8192, 1, 1, 0.99));
        r.add(point(MixerSpec.slidingWindow(1, 2), 32, 256, 0.2, 0.22, 0.18));
        r.add(point(MixerSpec.slidingWindow(1, 8), 32, 1024, 0.6, 0.62, 0.58));
        r.add(point(MixerSpec.slidingWindow(1, 32), 32, 4096, 0.99, 0.98, 1));
        r.add(point(MixerSpec.linearAttention(1), 8, 144, 0.1, 0.12, 0.11));
        r.add(point(MixerSpec.linearAttention(1), 16, 544, 0.3, 0.32, 0.31));
        r.add(point(MixerSpec.deltaNet(1), 8, 128, 0.3, 0.32, 0.31));
        r.add(point(MixerSpec.deltaNet(1), 16, 512, 0.95, 0.97, 0.96));
        return r;
    }

    @Test
    void textbookRunIsReproducedWithTheCrossing() {
        var r = textbook();
        assertEquals(Outcome.REPRODUCED, RecallFindings.growsWithState(r, "deltanet").outcome());
        assertEquals(Outcome.REPRODUCED, RecallFindings.deltaBeatsLinear(r).outcome());
        Finding w = RecallFindings.windowHalf(r);
        assertEquals(Outcome.REPRODUCED, w.outcome(), w.text());
        // half of the reference 0.9967 is 0.498; between 256 (0.2) and 1024 (0.6): log-linear at 0.746 of the way
        double f = (0.4983 - 0.2) / 0.4;
        assertTrue(w.text().contains(memlab.stats.Numbers.compact(Math.round(Math.exp(Math.log(256) + f * Math.log(4))))), w.text());
        assertEquals(Outcome.REPRODUCED, RecallFindings.verdict(r).outcome());
    }

    @Test
    void flatFamilyAndWindowThatNeverFallsAreNotReproduced() {
        var r = new ArrayList<>(textbook());
        r.removeIf(x -> x.point().family().equals("deltanet") || x.point().mixer().window() == 2);
        r.add(point(MixerSpec.deltaNet(1), 8, 128, 0.1, 0.12, 0.11));
        r.add(point(MixerSpec.deltaNet(1), 16, 512, 0.11, 0.13, 0.1));
        assertEquals(Outcome.NOT_REPRODUCED, RecallFindings.growsWithState(r, "deltanet").outcome());
        assertEquals(Outcome.NOT_REPRODUCED, RecallFindings.deltaBeatsLinear(r).outcome());
        Finding w = RecallFindings.windowHalf(r);
        assertEquals(Outcome.NOT_REPRODUCED, w.outcome());
        assertTrue(w.text().contains("never crosses"), w.text());
        assertEquals(Outcome.PARTLY, RecallFindings.verdict(r).outcome());
    }

    /** The reference did not learn, diverged, or is missing: nothing is judged. A one-point family cannot show growth. */
    @Test
    void untestableEdges() {
        var r = new ArrayList<>(textbook());
        r.set(0, point(MixerSpec.attention(1), 32, 8192, 0.4, 0.5, 0.45));
        Finding v = RecallFindings.verdict(r);
        assertEquals(Outcome.UNTESTABLE, v.outcome());
        assertTrue(v.text().startsWith("full attention, the reference, reached only 45%"), v.text());
        assertEquals(Outcome.UNTESTABLE, RecallFindings.growsWithState(r, "deltanet").outcome());
        r.set(0, point(MixerSpec.attention(1), 32, 8192, Double.NaN, Double.NaN, Double.NaN));
        assertTrue(RecallFindings.windowHalf(r).text().contains("diverged"));
        r.remove(0);
        assertTrue(RecallFindings.deltaBeatsLinear(r).text().contains("no full-attention reference"));
        var t = textbook();
        t.removeIf(x -> x.point().family().equals("deltanet") && x.point().width() == 16);
        assertEquals(Outcome.UNTESTABLE, RecallFindings.growsWithState(t, "deltanet").outcome());
        t.removeIf(x -> x.point().family().equals("linear attention"));
        assertEquals(Outcome.UNTESTABLE, RecallFindings.deltaBeatsLinear(t).outcome());
    }

    @Test
    void halfCrossingEdges() {
        assertTrue(Double.isNaN(RecallFindings.halfCrossing(new double[]{1, 10}, new double[]{0.6, 0.9}, 0.5)), "already above");
        assertTrue(Double.isNaN(RecallFindings.halfCrossing(new double[]{1, 10}, new double[]{0.1, 0.2}, 0.5)), "never reaches");
        assertEquals(10, RecallFindings.halfCrossing(new double[]{1, 10, 100}, new double[]{0.1, 0.5, 0.9}, 0.5), 1e-9);
        assertEquals(Math.sqrt(10), RecallFindings.halfCrossing(new double[]{1, 10}, new double[]{0.4, 0.6}, 0.5), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> RecallFindings.halfCrossing(new double[]{1}, new double[]{0.1, 0.2}, 0.5));
    }

    static HybridExperiment.Result hybrid(HybridExperiment.Hybrid h, double[] acc, double[] zeroed, double share) {
        double[][] s = {{share, share, share}, {share, share, share}}, d = {{0, 0, 0}, {0, 0, 0}};
        return new HybridExperiment.Result(h, SEEDS, acc, zeroed, List.of(0, 10), s, d, 1);
    }

    @Test
    void hybridVerdicts() {
        var std = HybridExperiment.standard(1, 4);
        double[] full = {1, 0.99, 1};
        List<HybridExperiment.Result> r = List.of(
                hybrid(std.get(0), full, new double[]{0.99, 0.98, 1}, 0.05),     // attention → deltanet: decorative
                hybrid(std.get(1), full, new double[]{0.1, 0.12, 0.1}, 0.4));     // deltanet → attention: needed
        assertEquals(Outcome.REPRODUCED, HybridFindings.decorativeNextToAttention(r).outcome());
        assertEquals(Outcome.REPRODUCED, HybridFindings.orderMatters(r).outcome());
        assertEquals(Outcome.REPRODUCED, HybridFindings.verdict(r).outcome());

        List<HybridExperiment.Result> used = List.of(
                hybrid(std.get(0), full, new double[]{0.5, 0.5, 0.5}, 0.4),
                hybrid(std.get(1), full, new double[]{0.5, 0.5, 0.5}, 0.4));
        assertEquals(Outcome.NOT_REPRODUCED, HybridFindings.decorativeNextToAttention(used).outcome());
        assertEquals(Outcome.NOT_REPRODUCED, HybridFindings.orderMatters(used).outcome());

        List<HybridExperiment.Result> unlearnt = List.of(hybrid(std.get(0), new double[]{0.3, 0.3, 0.3}, new double[]{0.3, 0.3, 0.3}, 0.1));
        Finding f = HybridFindings.verdict(unlearnt);
        assertEquals(Outcome.UNTESTABLE, f.outcome());
        assertTrue(f.text().contains("did not learn"), f.text());
        assertTrue(HybridFindings.orderMatters(List.of(r.get(0))).text().contains("not in this run"));
        assertThrows(IllegalArgumentException.class, () -> new HybridExperiment.Result(std.get(0), SEEDS, full, new double[2], List.of(0), new double[1][3], new double[1][3], 1));
    }
}
