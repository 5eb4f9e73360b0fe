package memlab.dnc;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import memlab.ntm.Controller;
import memlab.tasks.BitCopyTask;
import memlab.tasks.RepeatCopyTask;
import memlab.train.Optimizer;
import memlab.train.ParamSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Wrong settings fail at once with a message naming the argument and what is allowed. */
class DncBadInputTest {
    static void fails(Executable e, String... words) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        for (String w : words) assertTrue(ex.getMessage().contains(w), "message '" + ex.getMessage() + "' should mention '" + w + "'");
    }

    @Test
    void nonPositiveSizes() {
        fails(() -> new DncConfig(0, 8, Controller.LSTM, 64, 16, 8, 1), "input", "> 0", "0");
        fails(() -> new DncConfig(9, -2, Controller.LSTM, 64, 16, 8, 1), "output", "> 0", "-2");
        fails(() -> new DncConfig(9, 8, Controller.LSTM, 0, 16, 8, 1), "controllerSize", "> 0");
        fails(() -> new DncConfig(9, 8, Controller.LSTM, 64, 0, 8, 1), "slots", "> 0");   // fewer slots than the one write head
        fails(() -> new DncConfig(9, 8, Controller.LSTM, 64, -3, 8, 1), "slots", "> 0", "-3");
        fails(() -> new DncConfig(9, 8, Controller.LSTM, 64, 16, 0, 1), "width", "> 0");
        fails(() -> new DncConfig(9, 8, Controller.LSTM, 64, 16, 8, 0), "readHeads", "> 0");
        fails(() -> new DncConfig(9, 8, null, 64, 16, 8, 1), "controller", "lstm", "feedforward");
        fails(() -> new RepeatCopyTask(4, 8, 10, 0), "maxRepeats", "> 0");
        fails(() -> new RepeatCopyTask(4, 0, 10, 10), "bits", "> 0");
        fails(() -> new DncTraining.Run(0, 10, 1), "lr", "> 0");
        fails(() -> new DncTraining.Run(1e-3, 0, 1), "clip", "> 0");
    }

    @Test
    void unknownNames() {
        fails(() -> ReadMode.parse("sideways"), "readMode", "backward", "content", "forward", "sideways");
        assertEquals(ReadMode.FORWARD, ReadMode.parse(" Forward "));
        fails(() -> DncTask.named("reverse", 4, 8, 10, 10), "task", "copy", "repeat-copy", "reverse");
        fails(() -> DncTask.named(null, 4, 8, 10, 10), "task", "copy", "repeat-copy");
        assertEquals("repeat-copy", DncTask.named("Repeat-Copy", 4, 8, 10, 10).name());
        fails(() -> Controller.parse("gru"), "controller", "lstm", "feedforward", "gru");
    }

    @Test
    void readModesNeedOneWeightPerMode() {
        try (NDManager m = NDManager.newBaseManager()) {
            fails(() -> ReadModes.mix(m.ones(new Shape(1, 1, 2)), m.ones(new Shape(1, 1, 4)), m.ones(new Shape(1, 1, 4)), m.ones(new Shape(1, 1, 4))),
                    "readModes", "(N, H, 3)", "BACKWARD", "(1, 1, 2)");
        }
    }

    @Test
    void modelAndTaskAndRunsMustAgree() {
        DncConfig c = new DncConfig(5, 4, Controller.FEEDFORWARD, 8, 6, 3, 1);
        fails(() -> new DncTraining.Setup(c, DncTask.named("repeat-copy", 2, 4, 3, 3), Optimizer.Rule.ADAM, 10), "input/output", "6 / 5", "5 / 4");
        fails(() -> new DncTraining.Setup(c, DncTask.named("copy", 2, 4, 3, 3), Optimizer.Rule.ADAM, 0), "steps", "> 0");
        fails(() -> new DncTraining.Setup(c, null, Optimizer.Rule.ADAM, 10), "task", "copy");
        fails(() -> DncTraining.train(new DncTraining.Setup(c, DncTask.named("copy", 2, 4, 3, 3), Optimizer.Rule.ADAM, 1), List.of(), null), "runs", "empty");
        try (NDManager m = NDManager.newBaseManager(); ParamSet p = new ParamSet(m, 2)) {
            fails(() -> new Dnc(p, c, new long[]{1}), "seed", "2 runs");
            Dnc dnc = new Dnc(p, c, new long[]{1, 2});
            BitCopyTask.Batch wrongWidth = new BitCopyTask(2, 3, 3, 1).batch(m, new long[]{1, 2}, new boolean[2], 0);
            fails(() -> dnc.forward(wrongWidth.inputs()), "width 4", "input is 5");
            fails(() -> dnc.forward(m.zeros(new Shape(1, 2, 3, 5))), "1 runs", "model 2");
            fails(() -> dnc.forward(m.zeros(new Shape(2, 3, 5))), "x must have shape", "(runs, batch, steps, input)");
        }
    }
}
