package memlab.pmnet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import memlab.core.Check;
import memlab.core.Seeds;
import memlab.nn.Linear;
import memlab.nn.LstmCell;
import memlab.train.ParamSet;

import java.util.ArrayList;
import java.util.List;

/**
 * The recurrent baseline of {@code pm-copy}: a byte-level LSTM whose whole memory is its state,
 * reached through the gates at every step (no window, no slots):
 * <pre>
 *   x_t = E[token_t];   (h_t, c_t) = LSTM(x_t, h_{t−1}, c_{t−1});   logits_t = W h_t + b
 * </pre>
 * The cell is {@link LstmCell} (the equations written once, in {@code memlab.nn}); the embedding is
 * drawn from N(0, 0.02²) as the transformer's. {@link Config#matching} picks the hidden size whose
 * parameter count comes closest to a given model's, so the comparison is at a similar size.
 */
public final class LstmBaseline implements ByteModel {
    /**
     * @param vocab  vocabulary size V
     * @param embed  embedding width E
     * @param hidden LSTM state size H
     */
    public record Config(int vocab, int embed, int hidden) implements ByteModel.Spec {
        public Config {
            Check.positive("vocab", vocab);
            Check.positive("embed", embed);
            Check.positive("hidden", hidden);
        }

        @Override
        public ByteModel create(NDManager parent, long[] seeds) { return new LstmBaseline(parent, this, seeds); }

        /** No limit: the LSTM takes any length. */
        @Override
        public int maxLength() { return Integer.MAX_VALUE; }

        @Override
        public String label() { return "LSTM (hidden " + hidden + ")"; }

        /** Parameters per run: {@code V·E + 4H(E + H) + 4H + H·V + V}. */
        public long parameters() {
            return (long) vocab * embed + 4L * hidden * (embed + hidden) + 4L * hidden + (long) hidden * vocab + vocab;
        }

        /** The hidden size (≥ 1) whose parameter count is closest to {@code parameters}, at embedding width {@code embed}. */
        public static Config matching(long parameters, int vocab, int embed) {
            Check.positive("parameters", (double) parameters);
            Config best = new Config(vocab, embed, 1);
            for (int h = 2; new Config(vocab, embed, h - 1).parameters() < parameters; h++) {
                Config c = new Config(vocab, embed, h);
                if (Math.abs(c.parameters() - parameters) < Math.abs(best.parameters() - parameters)) best = c;
            }
            return best;
        }
    }

    private final Config config;
    private final ParamSet params;
    private final NDArray table;
    private final LstmCell cell;
    private final Linear head;

    /** @param seeds one seed per run */
    public LstmBaseline(NDManager parent, Config config, long[] seeds) {
        this.config = Check.notNull("config", config);
        params = new ParamSet(parent, seeds.length);
        int v = config.vocab(), e = config.embed();
        table = params.add("embed.tokens", new Shape(v, e), r -> {
            float[] a = Seeds.normal(Seeds.stream(seeds[r], "embed.tokens"), new float[v * e]);
            for (int i = 0; i < a.length; i++) a[i] *= 0.02f;
            return a;
        });
        cell = new LstmCell(params, "lstm", e, config.hidden(), seeds);
        head = new Linear(params, "head", config.hidden(), v, seeds);
    }

    @Override
    public NDArray logits(NDArray tokens) {
        Shape s = tokens.getShape();
        if (s.dimension() != 3 || s.get(0) != params.runs())
            throw new IllegalArgumentException("tokens must have shape (R = " + params.runs() + ", B, T), got " + s);
        int runs = (int) s.get(0), batch = (int) s.get(1), len = (int) s.get(2), e = config.embed(), hid = config.hidden();
        NDManager m = tokens.getManager();
        NDArray offsets = m.arange(0, runs * config.vocab(), config.vocab(), DataType.INT64).reshape(runs, 1, 1);
        NDArray rows = tokens.toType(DataType.INT64, false).add(offsets).reshape(-1);
        NDArray x = table.reshape(-1, e).get(new NDIndex("{}", rows)).reshape(runs, batch, len, e);
        LstmCell.State st = new LstmCell.State(m.zeros(new Shape(runs, batch, hid)), m.zeros(new Shape(runs, batch, hid)));
        List<NDArray> hs = new ArrayList<>(len);
        var w = params.all();
        for (int t = 0; t < len; t++) {
            st = cell.step(w, x.get(new NDIndex(":, :, {}", t)), st);
            hs.add(st.h());
        }
        NDArray h = NDArrays.stack(new NDList(hs), 2).reshape(runs, (long) batch * len, hid);
        return head.forward(h).reshape(runs, batch, len, config.vocab());
    }

    @Override
    public ParamSet params() { return params; }

    @Override
    public String label() { return config.label(); }

    public Config config() { return config; }

    @Override
    public void close() {
        params.close();
    }
}
