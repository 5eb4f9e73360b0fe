package memlab.dnc;

import memlab.core.Check;
import memlab.ntm.Controller;

/**
 * The sizes and wiring of a Differentiable Neural Computer (Graves et al. 2016), shared by all runs of
 * a batched model. One write head, as in the paper.
 *
 * @param input          input width I
 * @param output         output width O
 * @param controller     LSTM or feed-forward (the NTM's {@link Controller})
 * @param controllerSize hidden size C of the controller
 * @param slots          memory slots S (the paper's N), {@code > 0}: at least as many as the one write head
 * @param width          slot width D (the paper's W)
 * @param readHeads      read heads R, {@code > 0}
 */
public record DncConfig(int input, int output, Controller controller, int controllerSize, int slots, int width, int readHeads) {
    public DncConfig {
        Check.positive("input", input);
        Check.positive("output", output);
        if (controller == null) throw new IllegalArgumentException("controller must be one of [lstm, feedforward], got null");
        Check.positive("controllerSize", controllerSize);
        Check.positive("slots", slots);
        Check.positive("width", width);
        Check.positive("readHeads", readHeads);
    }

    /** Columns of the interface vector ξ_t: {@code R·D} read keys, R strengths, D write key, 1, D erase, D write vector, R free gates, 2 gates, 3R modes. */
    public int interfaceWidth() {
        return readHeads * width + 3 * width + 5 * readHeads + 3;
    }

    /** Width of all reads of one step, {@code R · D}. */
    public int readWidth() {
        return readHeads * width;
    }

    public DncConfig withMemory(int slots, int width) {
        return new DncConfig(input, output, controller, controllerSize, slots, width, readHeads);
    }

    public DncConfig withController(Controller c, int size) {
        return new DncConfig(input, output, c, size, slots, width, readHeads);
    }

    public DncConfig withReadHeads(int r) {
        return new DncConfig(input, output, controller, controllerSize, slots, width, r);
    }
}
