package memlab.pmnet;

import ai.djl.ndarray.NDManager;
import memlab.tasks.CopyPaste;
import memlab.train.Optimizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class PhasorNetTest {
    static PhasorNet.Config small(int blocks, int every) {
        return new PhasorNet.Config(CopyPaste.VOCAB, 8, blocks, 2, 4, 16, every, new PhasorMemory.Config(2, 4, 2, 4, 1, true, Ablation.NONE));
    }

    @Test
    void memoryLayersSitEveryKBlocksNeverAfterTheLast() {
        assertEquals(List.of(1), small(3, 2).memoryAfter());
        assertEquals(List.of(1, 3), small(5, 2).memoryAfter());
        assertEquals(List.of(0, 1, 2), small(4, 1).memoryAfter());
        assertEquals(List.of(), small(4, 1).withoutMemory().memoryAfter());
        PhasorMemoryTest.assertMessage(() -> small(2, 2), "memoryEvery must be <= blocks − 1 = 1");
        PhasorMemoryTest.assertMessage(() -> new PhasorNet.Config(258, 8, 2, 2, 0, 16, 1, null), "window");
        PhasorMemoryTest.assertMessage(() -> small(2, 1).withoutMemory().with(Ablation.FLAT), "memory");
    }

    /** The memory's parameters are in the model's set (so the optimiser trains them) and change the output. */
    @Test
    void theMemoryIsPartOfTheModel() {
        try (NDManager base = NDManager.newBaseManager();
             PhasorNet with = new PhasorNet(base, small(3, 2), new long[]{1, 2});
             PhasorNet without = new PhasorNet(base, small(3, 2).withoutMemory(), new long[]{1, 2})) {
            assertEquals(1, with.memories().size());
            assertTrue(with.params().all().keySet().containsAll(with.memories().get(0).parameterNames()));
            assertEquals(without.params().sizePerRun() + memorySize(with), with.params().sizePerRun());
            CopyPaste task = new CopyPaste(2, 3, 12, 8);
            var data = task.arrays(base, 2, new long[]{1, 2}, 0);
            float[] a = with.logits(data[0]).toFloatArray(), b = without.logits(data[0]).toFloatArray();
            assertEquals(a.length, b.length);
            assertFalse(java.util.Arrays.equals(a, b), "the memory's read reaches the logits");
        }
    }

    private static long memorySize(PhasorNet net) {
        long n = 0;
        for (String name : net.memories().get(0).parameterNames()) n += net.params().get(name).getShape().size() / net.params().runs();
        return n;
    }

    /** A few Adam steps on one repeated batch lower its loss, for each ablation (the gradients reach everything). */
    @Test
    void trainingLowersTheLossOfARepeatedBatch() {
        for (Ablation a : Ablation.values())
            try (NDManager base = NDManager.newBaseManager();
                 PhasorNet net = new PhasorNet(base, small(3, 2).with(a), new long[]{4});
                 Optimizer opt = Optimizer.adam(1e-2)) {
                CopyPaste task = new CopyPaste(2, 3, 12, 8);
                float first = CopyPasteTraining.step(net, opt, task, 4, new long[]{4}, 0).loss()[0], last = first;
                for (int i = 0; i < 15; i++) last = CopyPasteTraining.step(net, opt, task, 4, new long[]{4}, 0).loss()[0];
                assertTrue(last < 0.7 * first, a + ": loss " + first + " → " + last);
            }
    }

    /** The experiment unit runs end to end; a copy-paste of a short span is learnt at a tiny scale. */
    @Test
    void experimentRunsAndLearnsTheLocalCase() {
        // gap 0 inside the window: attention alone can copy, so the loss must fall
        var setup = new CopyPasteExperiment.Setup(small(3, 2), new CopyPaste(2, 0, 8, 4), 8, 30, 1e-2, 2, new long[]{1, 2});
        CopyPasteExperiment.Result r = CopyPasteExperiment.train(setup);
        assertEquals(30, r.trainLoss().length);
        assertEquals(2, r.exactRetrieval().length);
        for (int k = 0; k < 2; k++) assertTrue(r.trainLoss()[29][k] < r.trainLoss()[0][k], "run " + k + " loss fell");
        PhasorMemoryTest.assertMessage(() -> new CopyPasteExperiment.Setup(small(3, 2), new CopyPaste(2, 20, 30), 8, 1, 1e-2, 1, new long[]{1}),
                "task length 30 exceeds the model's maxLength 16");
    }

    /**
     * Causality, for every ablation: changing the tokens after position {@code cut} leaves the logits up
     * to {@code cut} as they were (the memory writes position t before reading it, and nothing later),
     * so an answer cannot see its own target, which is the next input.
     */
    @ParameterizedTest
    @EnumSource(Ablation.class)
    void laterTokensDoNotReachEarlierLogits(Ablation ablation) {
        try (NDManager base = NDManager.newBaseManager(); PhasorNet net = new PhasorNet(base, small(3, 1).with(ablation), new long[]{3, 4})) {
            CopyPaste task = new CopyPaste(2, 3, 12, 8);
            var data = task.arrays(base, 3, new long[]{3, 4}, 0);
            int length = 12, vocab = CopyPaste.VOCAB;
            float[] before = net.logits(data[0]).toFloatArray();
            for (int cut : new int[]{0, 5, 10}) {
                int[] tokens = data[0].toType(ai.djl.ndarray.types.DataType.INT32, false).toIntArray();
                for (int i = 0; i < tokens.length; i++) if (i % length > cut) tokens[i] = (tokens[i] + 1) % vocab;
                float[] after = net.logits(base.create(tokens, data[0].getShape())).toFloatArray();
                double early = 0, late = 0;
                for (int i = 0; i < after.length; i++) {
                    double d = Math.abs(after[i] - before[i]);
                    if ((i / vocab) % length <= cut) early = Math.max(early, d);
                    else late = Math.max(late, d);
                }
                assertTrue(early < 1e-5, ablation + ", cut " + cut + ": a later token moved an earlier logit by " + early);
                assertTrue(late > 1e-3, ablation + ", cut " + cut + ": the changed tokens must change their own logits");
            }
        }
    }

    @Test
    void oneInsertPerBlock() {
        try (NDManager base = NDManager.newBaseManager(); PhasorNet net = new PhasorNet(base, small(3, 2), new long[]{1})) {
            PhasorMemoryTest.assertMessage(() -> net.model().insertAfter(1, x -> x), "layer 1 already has an insert");
            PhasorMemoryTest.assertMessage(() -> net.model().insertAfter(3, x -> x), "layer must be in [0, 2]");
        }
    }
}
