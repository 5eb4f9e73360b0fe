package memlab.ntm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import memlab.nn.LstmCell;

import java.util.Arrays;
import java.util.Locale;

/**
 * The NTM's controller: the network that reads the input and the previous reads and emits the head
 * parameters and the output.
 * <ul>
 *   <li>{@link #LSTM}: {@code (i, f, g, o) = W [x_t; r_{t−1}; h_{t−1}] + b},
 *       {@code c_t = σ(f) c_{t−1} + σ(i) tanh(g)}, {@code h_t = σ(o) tanh(c_t)} (PyTorch's gate order);
 *       its own state is a second memory next to the NTM's;</li>
 *   <li>{@link #FEEDFORWARD}: {@code h_t = tanh(W [x_t; r_{t−1}] + b)}: everything it remembers
 *       must pass through the memory.</li>
 * </ul>
 * Shared by the memory models whose controller this is (the NTM, the DNC) through {@link #step}; the
 * LSTM's gate update itself is {@link LstmCell#update}, shared with the encoder–decoder of
 * {@code memlab.attention}.
 */
public enum Controller {
    LSTM, FEEDFORWARD;

    /** Parses {@code lstm} or {@code feedforward} (any case). */
    public static Controller parse(String name) {
        for (Controller c : values()) if (c.name().equalsIgnoreCase(name == null ? "" : name.trim())) return c;
        throw new IllegalArgumentException("controller must be one of " + Arrays.stream(values()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList() + ", got '" + name + "'");
    }

    /** Gate rows of the controller's linear map for a hidden size {@code h}: 4h for the LSTM, h otherwise. */
    public int gateWidth(int hidden) {
        return this == LSTM ? 4 * hidden : hidden;
    }

    /** Width of the controller's own state fed back into its input: h for the LSTM, none for feed-forward. */
    public int stateWidth(int hidden) {
        return this == LSTM ? hidden : 0;
    }

    /**
     * One step from the pre-activations {@code z = W [x_t; r_{t−1}; h_{t−1}] + b} ({@link #gateWidth} columns):
     * the LSTM's {@code (h_t, c_t)} as in the class comment, or {@code (tanh z, c_{t−1})} for the feed-forward
     * controller (which has no cell).
     *
     * @param z    pre-activations {@code (…, gateWidth)}
     * @param cell {@code c_{t−1}} {@code (…, hidden)}
     * @return {@code (h_t, c_t)}
     */
    public NDList step(NDArray z, NDArray cell) {
        if (this == FEEDFORWARD) return new NDList(z.tanh(), cell);
        LstmCell.State s = LstmCell.update(z, cell);   // the LSTM's equations live once, in memlab.nn
        return new NDList(s.h(), s.c());
    }
}
