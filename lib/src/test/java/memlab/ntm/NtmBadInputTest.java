package memlab.ntm;

import ai.djl.ndarray.NDManager;
import memlab.memory.CircularShift;
import memlab.tasks.BitCopyTask;
import memlab.train.ParamSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.*;

/** Wrong settings fail at once with a message naming the argument and what is allowed. */
class NtmBadInputTest {
    static void fails(Executable e, String... words) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        for (String w : words) assertTrue(ex.getMessage().contains(w), "message '" + ex.getMessage() + "' should mention '" + w + "'");
    }

    @Test
    void nonPositiveSizes() {
        fails(() -> new NtmConfig(0, 8, Controller.LSTM, 100, 128, 20, 1, 1, 1, true), "input", "> 0", "0");
        fails(() -> new NtmConfig(9, 8, Controller.LSTM, -1, 128, 20, 1, 1, 1, true), "controllerSize", "> 0");
        fails(() -> new NtmConfig(9, 8, Controller.LSTM, 100, 0, 20, 1, 1, 1, true), "slots", "> 0");
        fails(() -> new NtmConfig(9, 8, Controller.LSTM, 100, 128, 0, 1, 1, 1, true), "width", "> 0");
        fails(() -> new NtmConfig(9, 8, Controller.LSTM, 100, 128, 20, 0, 1, 1, true), "readHeads", "> 0");
        fails(() -> new NtmConfig(9, 8, Controller.LSTM, 100, 128, 20, 1, 0, 1, true), "writeHeads", "> 0");
        fails(() -> new BitCopyTask(0, 8, 20, 100), "batch", "> 0");
        fails(() -> new BitCopyTask(4, 8, -3, 100), "maxLength", "> 0");
    }

    @Test
    void shiftRangeMustBeSmallerThanTheSlots() {
        fails(() -> new NtmConfig(9, 8, Controller.LSTM, 10, 3, 4, 1, 1, 1, true), "shiftRange", "slots = 3", "allowed k: 0..0");
        fails(() -> new CircularShift(2, 5), "shiftRange", "5 shifts", "slots = 5", "0..1");
        fails(() -> new CircularShift(-1, 5), "shiftRange", ">= 0");
        assertEquals(3, new CircularShift(1, 4).size());
    }

    @Test
    void gammaBelowOneIsImpossibleAndRejectedWhereGiven() {
        // the model's γ = 1 + softplus(·) is ≥ 1 by construction; a γ given by hand is checked
        fails(() -> memlab.memory.Sharpening.checkGamma(0.5), "gamma", ">= 1", "0.5");
        try (NDManager m = NDManager.newBaseManager()) {
            fails(() -> memlab.memory.Sharpening.apply(m.ones(new ai.djl.ndarray.types.Shape(1, 1, 3)), 0.99), "gamma", ">= 1", "0.99");
            assertEquals(1.0 / 3, memlab.memory.Sharpening.apply(m.ones(new ai.djl.ndarray.types.Shape(1, 1, 3)), 2).getFloat(0, 0, 1), 1e-7);
        }
    }

    @Test
    void unknownNames() {
        fails(() -> MemoryInit.parse("zeros"), "memoryInit", "constant", "random", "learned", "zeros");
        fails(() -> Controller.parse("gru"), "controller", "lstm", "feedforward", "gru");
        assertEquals(MemoryInit.LEARNED, MemoryInit.parse(" Learned "));
    }

    @Test
    void oneSeedAndOneInitPerRun() {
        try (NDManager m = NDManager.newBaseManager(); ParamSet p = new ParamSet(m, 2)) {
            fails(() -> new Ntm(p, NtmConfig.copy(8), new MemoryInit[]{MemoryInit.CONSTANT}, new long[]{1, 2}), "memoryInit", "2 runs");
        }
    }
}
