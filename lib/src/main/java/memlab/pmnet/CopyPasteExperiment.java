package memlab.pmnet;

import ai.djl.ndarray.NDManager;
import memlab.core.Check;
import memlab.tasks.CopyPaste;
import memlab.train.Optimizer;

import java.util.Arrays;

/**
 * One model trained on byte copy-paste, seeds batched as runs: the unit of the notebook's
 * {@code pm-copy} and {@code pm-ablation} sweeps (a sweep is a list of {@link Setup}s, e.g. one per
 * gap and model).
 */
public final class CopyPasteExperiment {
    private CopyPasteExperiment() {}

    /**
     * @param model       the model: {@link PhasorNet.Config} (with or without memory, any ablation) or {@link LstmBaseline.Config}
     * @param task        the copy-paste task (span, gap, length, alphabet)
     * @param batch       sequences per step and run
     * @param steps       training steps
     * @param lr          Adam learning rate
     * @param evalBatches held-out batches for the final evaluation
     * @param seeds       one seed per run (weights and data)
     */
    public record Setup(ByteModel.Spec model, CopyPaste task, int batch, int steps, double lr, int evalBatches, long[] seeds) {
        public Setup {
            Check.notNull("model", model);
            Check.notNull("task", task);
            Check.positive("batch", batch);
            Check.positive("steps", steps);
            Check.positive("lr", lr);
            Check.positive("evalBatches", evalBatches);
            seeds = Check.seeds("seeds", seeds);
            if (task.length() > model.maxLength())
                throw new IllegalArgumentException("task length " + task.length() + " exceeds the model's maxLength " + model.maxLength());
            if (model.vocab() < CopyPaste.VOCAB)
                throw new IllegalArgumentException("model vocab must be >= " + CopyPaste.VOCAB + " (bytes and two markers), got " + model.vocab());
        }
    }

    /**
     * @param trainLoss  {@code [step][run]} training loss
     * @param evaluation each run's held-out loss, byte accuracy and exact retrieval after training
     * @param msPerStep  mean wall time of a training step (all runs together)
     */
    public record Result(Setup setup, float[][] trainLoss, CopyPasteTraining.Metrics evaluation, double msPerStep) {
        /** Each run's exact retrieval after training. */
        public float[] exactRetrieval() { return evaluation.exact().clone(); }

        @Override
        public String toString() {
            return "exact retrieval " + Arrays.toString(evaluation.exact()) + ", " + Math.round(msPerStep) + " ms/step";
        }
    }

    /** Trains {@code setup.model()} from scratch and evaluates it on held-out batches. */
    public static Result train(Setup s) {
        return train(s, net -> {});
    }

    /**
     * As {@link #train(Setup)}, then hands the trained model to {@code afterTraining} (e.g. to measure
     * its {@link StateGradients}) before it is closed.
     */
    public static Result train(Setup s, java.util.function.Consumer<ByteModel> afterTraining) {
        int runs = s.seeds().length;
        double[] lr = new double[runs];
        Arrays.fill(lr, s.lr());
        float[][] loss = new float[s.steps()][];
        try (NDManager base = NDManager.newBaseManager();
             ByteModel net = s.model().create(base, s.seeds());
             Optimizer opt = Optimizer.of(Optimizer.Rule.ADAM, lr)) {
            long t0 = System.nanoTime();
            for (int i = 0; i < s.steps(); i++)
                loss[i] = CopyPasteTraining.step(net, opt, s.task(), s.batch(), s.seeds(), i).loss();
            double ms = (System.nanoTime() - t0) / 1e6 / s.steps();
            Result r = new Result(s, loss, CopyPasteTraining.evaluate(net, s.task(), s.batch(), s.seeds(), s.evalBatches()), ms);
            afterTraining.accept(net);
            return r;
        }
    }
}
