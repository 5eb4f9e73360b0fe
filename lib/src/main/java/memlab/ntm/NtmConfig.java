package memlab.ntm;

import memlab.core.Check;
import memlab.memory.CircularShift;

/**
 * The sizes and wiring of a Neural Turing Machine (Graves, Wayne, Danihelka 2014), shared by all runs
 * of a batched model.
 *
 * @param input          input width I
 * @param output         output width O
 * @param controller     LSTM or feed-forward
 * @param controllerSize hidden size C of the controller
 * @param slots          memory slots S (the paper's N)
 * @param width          slot width D (the paper's M)
 * @param readHeads      read heads, {@code > 0}
 * @param writeHeads     write heads, {@code > 0}
 * @param shiftRange     k: allowed shifts {@code −k..+k}, {@code 2k + 1 < S}
 * @param bypass         whether the output sees the controller state ({@code y = W [h_t; r_t] + b});
 *                       false: output from the reads alone ({@code y = W r_t + b}), the "hamstrung"
 *                       model that has to use its memory
 * @param gradientLink   the explicit gradient link of Masuda (2025) on the writes: the gradient of the reads of
 *                       step t also reaches the memory written at step t (see {@link Ntm}); the forward pass is
 *                       unchanged. Off in every preset.
 * @param contentOnly    heads address by content alone, {@code w_t = w^c_t}: the interpolation, shift and
 *                       sharpening of location addressing are skipped (their head parameters stay, unused).
 *                       Off in every preset; the contrast of the attention-and-memory primer's {@code pr-ntm}.
 */
public record NtmConfig(int input, int output, Controller controller, int controllerSize, int slots, int width,
                        int readHeads, int writeHeads, int shiftRange, boolean bypass, boolean gradientLink, boolean contentOnly) {
    public NtmConfig {
        Check.positive("input", input);
        Check.positive("output", output);
        if (controller == null) throw new IllegalArgumentException("controller must be one of [lstm, feedforward], got null");
        Check.positive("controllerSize", controllerSize);
        Check.positive("slots", slots);
        Check.positive("width", width);
        Check.positive("readHeads", readHeads);
        Check.positive("writeHeads", writeHeads);
        new CircularShift(shiftRange, slots); // validates the range against the slots
    }

    /** The NTM with content and location addressing (the wiring of Graves et al., gradient link as given). */
    public NtmConfig(int input, int output, Controller controller, int controllerSize, int slots, int width,
                     int readHeads, int writeHeads, int shiftRange, boolean bypass, boolean gradientLink) {
        this(input, output, controller, controllerSize, slots, width, readHeads, writeHeads, shiftRange, bypass, gradientLink, false);
    }

    /** The NTM without the gradient link (the wiring of Graves et al.). */
    public NtmConfig(int input, int output, Controller controller, int controllerSize, int slots, int width,
                     int readHeads, int writeHeads, int shiftRange, boolean bypass) {
        this(input, output, controller, controllerSize, slots, width, readHeads, writeHeads, shiftRange, bypass, false, false);
    }

    /**
     * The copy-task NTM of Graves et al. for {@code bits}-bit vectors: input {@code bits + 1} (a
     * delimiter channel), output {@code bits}, an LSTM controller of 100 units, memory 128 × 20, one
     * read and one write head, shifts −1..+1, output from controller and reads.
     */
    public static NtmConfig copy(int bits) {
        return new NtmConfig(bits + 1, bits, Controller.LSTM, 100, 128, 20, 1, 1, 1, true);
    }

    /** Number of heads, read heads first. */
    public int heads() { return readHeads + writeHeads; }

    /** Columns of one head's addressing parameters: key D, β, g, shift 2k+1, γ. */
    public int addressingWidth() { return width + 3 + 2 * shiftRange + 1; }

    /** Width of all reads of one step, {@code readHeads · D}. */
    public int readWidth() { return readHeads * width; }

    public NtmConfig withController(Controller c, int size) {
        return new NtmConfig(input, output, c, size, slots, width, readHeads, writeHeads, shiftRange, bypass, gradientLink, contentOnly);
    }

    public NtmConfig withMemory(int slots, int width) {
        return new NtmConfig(input, output, controller, controllerSize, slots, width, readHeads, writeHeads, shiftRange, bypass, gradientLink, contentOnly);
    }

    public NtmConfig withHeads(int read, int write) {
        return new NtmConfig(input, output, controller, controllerSize, slots, width, read, write, shiftRange, bypass, gradientLink, contentOnly);
    }

    public NtmConfig withShiftRange(int k) {
        return new NtmConfig(input, output, controller, controllerSize, slots, width, readHeads, writeHeads, k, bypass, gradientLink, contentOnly);
    }

    public NtmConfig withBypass(boolean on) {
        return new NtmConfig(input, output, controller, controllerSize, slots, width, readHeads, writeHeads, shiftRange, on, gradientLink, contentOnly);
    }

    /** The same model with the explicit gradient link on or off (forward pass unchanged; see {@link Ntm}). */
    public NtmConfig withGradientLink(boolean on) {
        return new NtmConfig(input, output, controller, controllerSize, slots, width, readHeads, writeHeads, shiftRange, bypass, on, contentOnly);
    }

    /** The same model with content-only addressing on or off ({@link #contentOnly}). */
    public NtmConfig withContentOnly(boolean on) {
        return new NtmConfig(input, output, controller, controllerSize, slots, width, readHeads, writeHeads, shiftRange, bypass, gradientLink, on);
    }
}
