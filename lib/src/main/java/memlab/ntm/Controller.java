package memlab.ntm;

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
 */
public enum Controller {
    LSTM, FEEDFORWARD;

    /** Parses {@code lstm} or {@code feedforward} (any case). */
    public static Controller parse(String name) {
        for (Controller c : values()) if (c.name().equalsIgnoreCase(name == null ? "" : name.trim())) return c;
        throw new IllegalArgumentException("controller must be one of " + Arrays.stream(values()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList() + ", got '" + name + "'");
    }

    /** Gate rows of the controller's linear map for a hidden size {@code h}: 4h for the LSTM, h otherwise. */
    int gateWidth(int hidden) {
        return this == LSTM ? 4 * hidden : hidden;
    }
}
