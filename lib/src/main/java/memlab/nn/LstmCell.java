package memlab.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import memlab.train.ParamSet;

import java.util.Map;

/**
 * One LSTM cell per run (Hochreiter and Schmidhuber 1997, with a forget gate), in PyTorch's gate order:
 * <pre>
 *   (i, f, g, o) = [x_t; h_{t−1}] W + b
 *   c_t = σ(f) ⊙ c_{t−1} + σ(i) ⊙ tanh(g)
 *   h_t = σ(o) ⊙ tanh(c_t)
 * </pre>
 * {@code W} is one {@link Linear} of shape {@code (R, in + hidden, 4·hidden)}, rows ordered {@code [x; h]}
 * (the layout of the NTM's LSTM controller, which shares the gate update {@link #update}). The step takes
 * the weights as a map so that tests can run the same maths in float64 on copies.
 */
public final class LstmCell {
    private final String name;
    private final int in, hidden;

    /** The cell's state {@code (h, c)}, each {@code (R, B, hidden)}. */
    public record State(NDArray h, NDArray c) {}

    /** Creates {@code name.weight} and {@code name.bias} in {@code params}, one initialisation per run seed. */
    public LstmCell(ParamSet params, String name, int in, int hidden, long[] seeds) {
        this.name = name;
        this.in = memlab.core.Check.positive(name + " input size", in);
        this.hidden = memlab.core.Check.positive(name + " hidden size", hidden);
        new Linear(params, name, in + hidden, 4 * hidden, seeds);
    }

    /** One step: {@code x} {@code (R, B, in)}, the previous state; returns {@code (h_t, c_t)}. */
    public State step(Map<String, NDArray> w, NDArray x, State previous) {
        // the bias added in place: the product's backward keeps its inputs, not its output (one array fewer)
        NDArray z = NDArrays.concat(new NDList(x, previous.h()), 2).batchMatMul(w.get(name + ".weight")).addi(w.get(name + ".bias"));
        return update(z, previous.c());
    }

    /**
     * The gate update from the pre-activations {@code z = [x_t; h_{t−1}] W + b} ({@code 4·hidden} last
     * columns, gates in the order i, f, g, o): {@code c_t = σ(f) ⊙ c_{t−1} + σ(i) ⊙ tanh(g)},
     * {@code h_t = σ(o) ⊙ tanh(c_t)}. The one place the LSTM's equations are written, shared with the
     * NTM's and the DNC's controller.
     */
    public static State update(NDArray z, NDArray cell) {
        NDList g = z.split(4, z.getShape().dimension() - 1);
        // in place into σ(f) ⊙ c_{t−1}, which no backward keeps (a new array costs more than the addition)
        NDArray c = Activation.sigmoid(g.get(1)).mul(cell).addi(Activation.sigmoid(g.get(0)).mul(g.get(2).tanh()));
        return new State(Activation.sigmoid(g.get(3)).mul(c.tanh()), c);
    }

    public int in() { return in; }

    public int hidden() { return hidden; }
}
