package memlab.primer;

import memlab.notebook.Outcome;
import memlab.stats.Finding;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The primer's claims at their edges: clear cases both ways, ties, no difference, NaN, nothing learnt. */
class PrimerClaimsTest {
    static final double NAN = Double.NaN;
    static final int[] LENGTHS = {4, 8, 16};

    @Test
    void attentionLength() {
        double[][] none = {{0.9, 0.95}, {0.6, 0.62}, {0.3, 0.35}}, soft = {{0.95, 1}, {0.9, 0.92}, {0.9, 0.88}};
        assertEquals(Outcome.REPRODUCED, PrimerClaims.attentionLength(LENGTHS, none, soft, 0.05).outcome());
        // no difference: the baseline does not fall and attention adds nothing
        double[][] flat = {{0.9, 0.9}, {0.9, 0.9}, {0.9, 0.9}};
        assertEquals(Outcome.NOT_REPRODUCED, PrimerClaims.attentionLength(LENGTHS, flat, flat, 0.05).outcome());
        // a tie at the tolerance is no effect
        double[][] tie = {{0.95, 0.95}, {0.9, 0.9}, {0.9, 0.9}};
        Finding f = PrimerClaims.attentionLength(LENGTHS, tie, soft, 0.05);
        assertEquals(Outcome.NOT_REPRODUCED, f.outcome(), f.text());
        assertTrue(f.text().contains("within the tolerance"), f.text());
        // the baseline falls but attention does not help: partly
        assertEquals(Outcome.PARTLY, PrimerClaims.attentionLength(LENGTHS, none, none, 0.05).outcome());
        double[][] nan = {{NAN, NAN}, {NAN, NAN}, {NAN, NAN}};
        assertEquals(Outcome.UNTESTABLE, PrimerClaims.attentionLength(LENGTHS, nan, nan, 0.05).outcome());
        assertThrows(IllegalArgumentException.class, () -> PrimerClaims.attentionLength(new int[]{4}, new double[][]{{1}}, new double[][]{{1}}, 0.05));
        var e = assertThrows(IllegalArgumentException.class, () -> PrimerClaims.attentionLength(LENGTHS, none, new double[][]{{1}}, 0.05));
        assertTrue(e.getMessage().contains("one accuracy row per length"), e.getMessage());
    }

    @Test
    void hardVsSoft() {
        double[] soft = {0.10, 0.11, 0.12, 0.10, 0.11}, hard = {0.5, 1.2, 0.3, 0.9, 1.5};
        assertEquals(Outcome.REPRODUCED, PrimerClaims.hardVsSoft(soft, hard, 0.05).outcome());
        assertEquals(Outcome.NOT_REPRODUCED, PrimerClaims.hardVsSoft(hard, soft, 0.05).outcome(), "the other way round");
        // equal curves: no difference, and equal spread is not a larger spread
        assertEquals(Outcome.NOT_REPRODUCED, PrimerClaims.hardVsSoft(soft, soft.clone(), 0.05).outcome());
        // every hard run diverged: the comparison is untestable, the spread too
        Finding f = PrimerClaims.hardVsSoft(soft, new double[]{NAN, NAN, NAN, NAN, NAN}, 0.05);
        assertEquals(Outcome.UNTESTABLE, f.outcome(), f.text());
        // one seed: spread untestable, the difference still holds: partly
        assertEquals(Outcome.PARTLY, PrimerClaims.hardVsSoft(new double[]{0.1}, new double[]{1.0}, 0.05).outcome());
    }

    /** A weighting {@code [slot][step]} with all weight on {@code slots[t]} at step t. */
    static float[][] focused(int nSlots, int... slots) {
        float[][] w = new float[nSlots][slots.length];
        for (int t = 0; t < slots.length; t++) w[slots[t]][t] = 1;
        return w;
    }

    @Test
    void diagonalScore() {
        // L = 3: writes at steps 0..2 on slots 2, 3, 4; delimiter at 3; reads at 4..6 on the same slots
        float[][] write = focused(6, 2, 3, 4, 0, 0, 0, 0), read = focused(6, 0, 0, 0, 0, 2, 3, 4);
        assertEquals(1, PrimerClaims.diagonal(write, read, 3), 1e-12);
        // backwards and around the end of memory counts as a move; reads in the wrong order score a third
        assertEquals(1, PrimerClaims.diagonal(focused(6, 1, 0, 5, 0, 0, 0, 0), focused(6, 0, 0, 0, 0, 1, 0, 5), 3), 1e-12);
        assertEquals((1 + 1.0 / 3) / 2, PrimerClaims.diagonal(write, focused(6, 0, 0, 0, 0, 4, 3, 2), 3), 1e-12);
        // a head that stays put and reads nothing useful scores 0
        assertEquals(0, PrimerClaims.diagonal(focused(6, 1, 1, 1, 0, 0, 0, 0), focused(6, 0, 0, 0, 0, 5, 5, 5), 3), 1e-12);
        float[][] nan = focused(6, 2, 3, 4, 0, 0, 0, 0);
        nan[0][1] = Float.NaN;
        assertTrue(Double.isNaN(PrimerClaims.diagonal(nan, read, 3)));
    }

    @Test
    void ntmCopy() {
        float[] w = new float[2 * 7 * 6], r = new float[2 * 7 * 6];
        int[] writes = {2, 3, 4, 0, 0, 0, 0}, reads = {0, 0, 0, 0, 2, 3, 4};
        for (int run = 0; run < 2; run++)
            for (int t = 0; t < 7; t++) {
                w[(run * 7 + t) * 6 + writes[t]] = 1;
                r[(run * 7 + t) * 6 + reads[t]] = 1;
            }
        NtmCopyWeightings.Result full = new NtmCopyWeightings.Result(null, 3, 6, w, r);
        assertArrayEquals(new float[]{0, 0, 1, 0, 0, 0}, new float[]{full.weights(1, true)[0][0], full.weights(1, true)[1][0],
                full.weights(1, true)[2][0], full.weights(1, true)[3][0], full.weights(1, true)[4][0], full.weights(1, true)[5][0]});
        assertEquals(Outcome.REPRODUCED, PrimerClaims.ntmCopy(full, new double[]{0.2, 0.4}, new double[]{9, 10}, 1, 0.8, 0.5).outcome());
        // nobody learnt copy: the regime of the claim was never reached, whatever the costs
        Finding f = PrimerClaims.ntmCopy(full, new double[]{5, 6}, new double[]{9, 10}, 1, 0.8, 0.5);
        assertEquals(Outcome.UNTESTABLE, f.outcome(), f.text());
        assertTrue(f.text().contains("no run of the full model learnt copy"), f.text());
        assertEquals(Outcome.UNTESTABLE, PrimerClaims.ntmCopy(full, new double[]{9, 10}, new double[]{9, 10}, 1, 0.8, 0.5).outcome());
        // learnt, on the diagonal, but content only is as good: partly
        assertEquals(Outcome.PARTLY, PrimerClaims.ntmCopy(full, new double[]{0.2, 0.4}, new double[]{0.3, 0.3}, 1, 0.8, 0.5).outcome());
        // one run learnt (the other NaN), content only diverged: the cost comparison uses the finite values
        assertEquals(Outcome.REPRODUCED, PrimerClaims.ntmCopy(full, new double[]{0.2, NAN}, new double[]{9, 9}, 1, 0.8, 0.5).outcome());
        assertEquals(Outcome.UNTESTABLE, PrimerClaims.ntmCopy(full, new double[]{NAN, NAN}, new double[]{NAN, NAN}, 1, 0.8, 0.5).outcome());
    }

    @Test
    void dncMemory() {
        // L = 3 written to slots 1, 3, 0; links 1 → 3 → 0
        float[][] write = focused(4, 1, 3, 0, 0, 0, 0, 0), links = new float[4][4];
        links[3][1] = 0.9f;
        links[0][3] = 0.9f;
        links[2][1] = 0.05f;
        Finding f = PrimerClaims.dncMemory(List.<float[][]>of(write), List.<float[][]>of(links), new int[]{3}, new double[]{0.1}, 1, 0.9);
        assertEquals(Outcome.REPRODUCED, f.outcome(), f.text());
        // the same slot written twice and a link pointing elsewhere
        float[][] again = focused(4, 1, 1, 0, 0, 0, 0, 0);
        assertEquals(Outcome.NOT_REPRODUCED, PrimerClaims.dncMemory(List.<float[][]>of(again), List.<float[][]>of(new float[4][4]), new int[]{3}, new double[]{0.1}, 1, 0.9).outcome());
        assertEquals(Outcome.UNTESTABLE, PrimerClaims.dncMemory(List.<float[][]>of(write), List.<float[][]>of(links), new int[]{3}, new double[]{5}, 1, 0.9).outcome(),
                "nothing learnt");
        assertEquals(Outcome.UNTESTABLE, PrimerClaims.dncMemory(List.<float[][]>of(write), List.<float[][]>of(links), new int[]{3}, new double[]{NAN}, 1, 0.9).outcome(),
                "NaN wrong bits count as not learnt");
    }

    @Test
    void hops() {
        int[] hops = {1, 2, 3};
        Map<String, double[][]> acc = new LinkedHashMap<>();
        acc.put("single-supporting-fact", new double[][]{{1, 1}, {1, 1}, {1, 1}});
        acc.put("two-supporting-facts", new double[][]{{0.4, 0.45}, {0.8, 0.9}, {0.95, 0.9}});
        List<String> chained = List.of("two-supporting-facts", "maternal-grandfather");
        Finding f = PrimerClaims.hops(hops, acc, chained, 0.05);
        assertEquals(Outcome.REPRODUCED, f.outcome(), f.text());
        assertTrue(f.text().contains("one fact suffices"), f.text());
        acc.put("maternal-grandfather", new double[][]{{0.5, 0.5}, {0.5, 0.5}, {0.52, 0.5}});
        assertEquals(Outcome.PARTLY, PrimerClaims.hops(hops, acc, chained, 0.05).outcome(), "no difference on one chained task");
        acc.put("two-supporting-facts", new double[][]{{NAN, NAN}, {NAN, NAN}, {NAN, NAN}});
        assertEquals(Outcome.NOT_REPRODUCED, PrimerClaims.hops(hops, acc, chained, 0.05).outcome(), "one untestable, the other not reproduced");
        assertEquals(Outcome.UNTESTABLE, PrimerClaims.hops(hops, Map.of("single-supporting-fact", new double[][]{{1}, {1}, {1}}), chained, 0.05).outcome());
        assertThrows(IllegalArgumentException.class, () -> PrimerClaims.hops(new int[]{2, 3}, acc, chained, 0.05));
    }
}
