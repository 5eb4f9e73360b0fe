package memlab.primer;

import memlab.attention.Attention;
import memlab.attention.ReversalExperiment;
import memlab.dnc.DncConfig;
import memlab.dnc.DncTask;
import memlab.dnc.DncTraining;
import memlab.memn2n.StoryExperiment;
import memlab.ntm.Controller;
import memlab.ntm.MemoryInit;
import memlab.ntm.NtmConfig;
import memlab.ntm.NtmCopyTraining;
import memlab.plot.Figure;
import memlab.tasks.BabiTask;
import memlab.tasks.BitCopyTask;
import memlab.train.Optimizer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Tiny runs of every experiment of notebook 05 go through the figure code; the NTM probe keeps proper weightings. */
class PrimerFiguresTest {
    static final long[] SEEDS = {1, 2};

    static NtmCopyWeightings.Result ntm(boolean contentOnly) {
        NtmConfig c = new NtmConfig(4, 3, Controller.LSTM, 6, 8, 3, 1, 1, 1, true).withContentOnly(contentOnly);
        NtmCopyTraining.Setup s = new NtmCopyTraining.Setup(c, new BitCopyTask(2, 3, 3, 1), Optimizer.Rule.ADAM, 3);
        return NtmCopyWeightings.train(s, List.of(new NtmCopyTraining.Run(MemoryInit.CONSTANT, 1e-3, 10, false, 1),
                new NtmCopyTraining.Run(MemoryInit.CONSTANT, 1e-3, 10, false, 2)), 3, null);
    }

    @Test
    void ntmWeightingsAreDistributionsOverSlots() {
        NtmCopyWeightings.Result r = ntm(false);
        assertEquals(3, r.length());
        assertEquals(2 * 7 * 8, r.writeWeights().length, "(R, 2L + 1, S)");
        for (int run = 0; run < 2; run++)
            for (boolean write : new boolean[]{true, false}) {
                float[][] w = r.weights(run, write);
                for (int t = 0; t < 7; t++) {
                    double sum = 0;
                    for (int s = 0; s < 8; s++) sum += w[s][t];
                    assertEquals(1, sum, 1e-4, "run " + run + (write ? " write" : " read") + " at step " + t);
                }
            }
        assertEquals(3, r.recorder().table().rowCount() / 2, "3 steps per run");
        assertThrows(IllegalArgumentException.class, () -> NtmCopyWeightings.train(null, List.of(), 0, null));
    }

    @Test
    void everyFigureBuilds() {
        var rev = ReversalExperiment.sweep(new ReversalExperiment.Setup(Attention.SOFT, 4, 3, 5, 4, 3, 0.01, SEEDS),
                List.of(Attention.NONE, Attention.SOFT), new int[]{2, 3});
        Figure a = PrimerFigures.attention(rev, rev.get(3));
        assertEquals("pr-attention", a.id());
        assertThrows(IllegalArgumentException.class, () -> PrimerFigures.attention(rev, rev.get(0)), "no alignment without attention");
        double[][] none = {PrimerClaims.toDouble(rev.get(0).accuracy()), PrimerClaims.toDouble(rev.get(1).accuracy())},
                soft = {PrimerClaims.toDouble(rev.get(2).accuracy()), PrimerClaims.toDouble(rev.get(3).accuracy())};
        assertEquals(PrimerClaims.attentionLength(new int[]{2, 3}, none, soft, 0.05), PrimerClaims.attentionLength(rev, 0.05), "the sweep's rows in length order");
        assertThrows(IllegalArgumentException.class, () -> PrimerClaims.attentionLength(rev.subList(0, 2), 0.05), "no soft runs");
        var hard = ReversalExperiment.sweep(new ReversalExperiment.Setup(Attention.SOFT, 4, 3, 5, 4, 4, 0.01, SEEDS),
                List.of(Attention.SOFT, Attention.HARD), new int[]{3});
        assertEquals("pr-hard", PrimerFigures.hard(hard, 2).id());
        assertEquals(PrimerClaims.hardVsSoft(hard.get(0).finalLoss(2), hard.get(1).finalLoss(2), 0.05), PrimerClaims.hardVsSoft(hard, 2, 0.05));
        NtmCopyWeightings.Result full = ntm(false), content = ntm(true);
        assertEquals("pr-ntm", PrimerFigures.ntm(full, content, 2).id());
        assertNotNull(PrimerClaims.ntmCopy(full, content, 2, 1, 0.8, 0.5).outcome());
        DncConfig dc = new DncConfig(4, 3, Controller.FEEDFORWARD, 6, 5, 3, 1);
        var copy = DncTraining.train(new DncTraining.Setup(dc, DncTask.named("copy", 2, 3, 3, 1), Optimizer.Rule.ADAM, 2),
                List.of(new DncTraining.Run(1e-3, 10, 1)), null).snapshot();
        var repeat = DncTraining.train(new DncTraining.Setup(new DncConfig(5, 4, Controller.FEEDFORWARD, 6, 5, 3, 1), DncTask.named("repeat-copy", 2, 3, 3, 2), Optimizer.Rule.ADAM, 2),
                List.of(new DncTraining.Run(1e-3, 10, 1)), null).snapshot();
        assertEquals("pr-dnc", PrimerFigures.dnc(List.of(copy, repeat), List.of("copy", "repeat-copy")).id());
        var mem = StoryExperiment.sweep(new StoryExperiment.Setup(BabiTask.TWO_SUPPORTING_FACTS, 4, 6, 1, true, true, 4, 2, 0.01, SEEDS),
                List.of(BabiTask.TWO_SUPPORTING_FACTS), new int[]{1, 2});
        assertEquals("pr-memn2n", PrimerFigures.memn2n(mem, mem.get(1)).id());
        double[][] rows = {PrimerClaims.toDouble(mem.get(0).accuracy()), PrimerClaims.toDouble(mem.get(1).accuracy())};
        assertEquals(PrimerClaims.hops(new int[]{1, 2}, java.util.Map.of("two-supporting-facts", rows), List.of("two-supporting-facts"), 0.05),
                PrimerClaims.hops(mem, List.of("two-supporting-facts"), 0.05));
    }
}
