package memlab.pmnet;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import memlab.core.Check;
import memlab.mixers.SequenceModel;
import memlab.tasks.ByteCorpus;
import memlab.train.Optimizer;
import memlab.train.ParamSet;
import memlab.train.Step;

import java.util.Arrays;

/**
 * {@code pm-longctx} at a CPU scale: a small byte-level language model trained on windows of
 * {@code T_train} bytes of a {@link ByteCorpus}, then evaluated on held-out windows up to several
 * times longer, loss per position. The paper's claim is about robustness beyond the training length
 * (a 119 M PMNet against a Mamba three times larger); here PMNet against the same sliding-window
 * transformer without memory.
 *
 * <p>Positions: the transformer's learnt position table ends where training ends, and positions past
 * {@code T_train} would get untrained vectors — a failure of the position table, not of the
 * memory. So the models here have <em>no position embedding</em> (the table is set to 0 and its
 * gradient to 0 at every step, so Adam never moves it): order comes from the causal window and the
 * memory's recurrence alone, and every position is a position the model has seen.
 */
public final class ByteLm {
    private ByteLm() {}

    /**
     * @param model        the model ({@code vocab} 256; its {@code maxLength} at least {@code evalLength})
     * @param trainLength  {@code T_train}, bytes per training window
     * @param batch        windows per step and run
     * @param steps        training steps
     * @param lr           Adam learning rate
     * @param evalLength   bytes per evaluation window, {@code >= trainLength}
     * @param evalBatches  held-out batches averaged per position
     * @param seeds        one seed per run (weights and data)
     */
    public record Setup(ByteModel.Spec model, int trainLength, int batch, int steps, double lr, int evalLength, int evalBatches, long[] seeds) {
        public Setup {
            Check.notNull("model", model);
            Check.positive("trainLength", trainLength);
            Check.positive("batch", batch);
            Check.positive("steps", steps);
            Check.positive("lr", lr);
            Check.positive("evalBatches", evalBatches);
            if (evalLength < trainLength)
                throw new IllegalArgumentException("evalLength must be >= trainLength " + trainLength + ", got " + evalLength);
            if (evalLength > model.maxLength())
                throw new IllegalArgumentException("evalLength " + evalLength + " exceeds the model's maxLength " + model.maxLength());
            if (model.vocab() < 256) throw new IllegalArgumentException("model vocab must be >= 256 (bytes), got " + model.vocab());
            seeds = Check.seeds("seeds", seeds);
        }
    }

    /**
     * @param trainLoss    {@code [step][run]} training loss (nats per byte)
     * @param positionLoss {@code [run][t]} held-out loss at position {@code t} of the long windows, bits per byte
     * @param msPerStep    mean wall time of a training step (all runs together)
     */
    public record Result(Setup setup, float[][] trainLoss, double[][] positionLoss, double msPerStep) {
        /** Each run's mean held-out loss (bits per byte) over positions {@code from … to − 1}. */
        public double[] meanLoss(int from, int to) {
            Check.inRange("from", from, 0, setup.evalLength() - 1);
            Check.inRange("to", to, from + 1, setup.evalLength());
            double[] out = new double[positionLoss.length];
            for (int r = 0; r < out.length; r++) {
                for (int t = from; t < to; t++) out[r] += positionLoss[r][t];
                out[r] /= to - from;
            }
            return out;
        }
    }

    /** The name of the position table in {@link SequenceModel}'s parameters. */
    static final String POSITIONS = "embed.positions";

    /** Trains from scratch on {@code corpus}, then measures the held-out loss per position at {@code evalLength}. */
    public static Result train(Setup s, ByteCorpus corpus) {
        Check.notNull("corpus", corpus);
        double[] lr = new double[s.seeds().length];
        Arrays.fill(lr, s.lr());
        float[][] loss = new float[s.steps()][];
        try (NDManager base = NDManager.newBaseManager();
             ByteModel net = s.model().create(base, s.seeds());
             Optimizer opt = Optimizer.of(Optimizer.Rule.ADAM, lr)) {
            if (net.params().all().containsKey(POSITIONS)) net.params().get(POSITIONS).muli(0);
            long t0 = System.nanoTime();
            for (int i = 0; i < s.steps(); i++) loss[i] = step(net, opt, corpus, s.trainLength(), s.batch(), s.seeds(), i);
            double ms = (System.nanoTime() - t0) / 1e6 / s.steps();
            return new Result(s, loss, positionLoss(net, corpus, s.evalLength(), s.batch(), s.seeds(), s.evalBatches()), ms);
        }
    }

    /** One Adam step on training batch {@code index}; returns each run's loss (nats per byte) before the update. */
    public static float[] step(ByteModel net, Optimizer opt, ByteCorpus corpus, int length, int batch, long[] seeds, long index) {
        ParamSet ps = net.params();
        try (Step step = Step.open(ps.manager(), ps.arrays(), opt.state())) {
            NDArray[] data = corpus.arrays(step.manager(), batch, length, seeds, index, false);
            SequenceModel.Result r;
            try (var gc = Engine.getInstance().newGradientCollector()) {
                r = ByteModel.loss(net.logits(data[0]), data[1], data[2]);
                gc.backward(r.loss());
            }
            if (ps.all().containsKey(POSITIONS)) ps.get(POSITIONS).getGradient().muli(0);   // no position embedding (see the class)
            opt.step(ps, step.manager());
            return r.lossPerRun();
        }
    }

    /**
     * The held-out loss at each position, bits per byte, {@code [run][t]}: {@code −log₂ p(x_{t+1} | x_{≤t})}
     * averaged over {@code batches × batch} windows of {@code length} bytes (held-out batches {@code 0, 1, …}).
     */
    public static double[][] positionLoss(ByteModel net, ByteCorpus corpus, int length, int batch, long[] seeds, int batches) {
        Check.positive("batches", batches);
        double[][] out = new double[seeds.length][length];
        for (int i = 0; i < batches; i++)
            try (Step step = Step.open(net.params().manager(), net.params().arrays())) {
                NDArray[] data = corpus.arrays(step.manager(), batch, length, seeds, i, true);
                float[] nll = perPosition(net.logits(data[0]), data[1]);
                for (int r = 0; r < seeds.length; r++)
                    for (int t = 0; t < length; t++) out[r][t] += nll[r * length + t] / batches;
            }
        return out;
    }

    /** {@code −log₂ softmax(logits)[target]} averaged over the batch: {@code (R, B, T, V)}, {@code (R, B, T)} → {@code (R, T)} row-major. */
    static float[] perPosition(NDArray logits, NDArray targets) {
        NDArray nats = logits.logSoftmax(-1).gather(targets.toType(DataType.INT64, false).expandDims(-1), -1).squeeze(-1).neg();
        return nats.mean(new int[]{1}).div(nats.getManager().full(new ai.djl.ndarray.types.Shape(), (float) Math.log(2))).toFloatArray();
    }
}
