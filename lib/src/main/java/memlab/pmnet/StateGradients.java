package memlab.pmnet;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import memlab.core.Check;
import memlab.tasks.CopyPaste;
import memlab.train.Step;

/**
 * {@code pm-gradnorm}: how much of the loss's gradient reaches the memory state of each earlier
 * step. For the state {@code s_t} of one memory layer (all levels) after the writes of position
 * {@code t}, and the loss {@code L} at a later position {@code τ}, the norm {@code ‖∂L/∂s_t‖} as a
 * function of the BPTT depth {@code τ − t}. With the rotation, {@code ∂s_{t+1}/∂s_t} through the
 * update is the identity; with the unconstrained state {@code s ← tanh(s + w θ)} every step
 * multiplies by {@code 1 − tanh²} on the written slots (vanishing) — the paper's claim.
 * Measured with a {@link PhasorMemory.StateTap}.
 */
public final class StateGradients {
    private StateGradients() {}

    /**
     * @param lossPosition {@code τ}, the position whose loss is differentiated
     * @param norms        {@code [run][t]}, {@code t = 0 … τ}: {@code ‖∂L/∂s_t‖} summed over the batch's sequences
     */
    public record Profile(int lossPosition, double[][] norms) {
        /** Each run's norm at BPTT depth {@code depth = τ − t}. */
        public double[] atDepth(int depth) {
            Check.inRange("depth", depth, 0, lossPosition);
            double[] out = new double[norms.length];
            for (int r = 0; r < out.length; r++) out[r] = norms[r][lossPosition - depth];
            return out;
        }

        /**
         * Each run's {@code log10} of the mean norm over the deepest quarter of depths divided by the mean
         * over depths 1 … a quarter (depth 0 is left out: there the read of the same position adds a direct path).
         * 0 = constant; negative = vanishing; positive = exploding. NaN when a norm is not finite or the near one is 0.
         */
        public double[] log10Ratio() {
            int q = Math.max(1, lossPosition / 4);
            double[] out = new double[norms.length];
            for (int r = 0; r < out.length; r++) {
                double near = 0, far = 0;
                for (int d = 1; d <= q; d++) near += norms[r][lossPosition - d] / q;
                for (int d = lossPosition - q + 1; d <= lossPosition; d++) far += norms[r][lossPosition - d] / q;
                out[r] = near > 0 && Double.isFinite(near) && Double.isFinite(far) ? Math.log10(far / near) : Double.NaN;
            }
            return out;
        }
    }

    /**
     * The gradient of the cross-entropy at the {@code answers} positions (the mask should hold one
     * position {@code τ} per sequence, the same for all) with respect to the state of memory layer
     * {@code layer} at every position up to {@code τ}. No parameter changes.
     */
    public static Profile measure(PhasorNet net, int layer, NDArray tokens, NDArray targets, NDArray answers, int lossPosition) {
        Check.inRange("layer", layer, 0, net.memories().size() - 1);
        PhasorMemory memory = net.memories().get(layer);
        PhasorMemory.StateTap tap = new PhasorMemory.StateTap();
        memory.tap(tap);
        try (var gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(ByteModel.loss(net.logits(tokens), targets, answers).loss());
            double[][] all = tap.norms(net.params().runs()), upTo = new double[all.length][];
            for (int r = 0; r < all.length; r++) upTo[r] = java.util.Arrays.copyOf(all[r], lossPosition + 1);
            return new Profile(lossPosition, upTo);
        } finally {
            memory.tap(null);
            net.params().zeroGrad();
        }
    }

    /**
     * The profile on one copy-paste batch whose sequences are exactly as long as span and gap need
     * ({@link CopyPaste#minLength}), the loss at the last answer, the prediction of the span's last
     * byte at {@code τ = T − 2}: its information entered the sequence {@code L + G} positions earlier.
     */
    public static Profile copyPaste(PhasorNet net, int layer, CopyPaste task, int batch, long[] seeds, long index) {
        if (task.length() != CopyPaste.minLength(task.span(), task.gap()))
            throw new IllegalArgumentException("task length must be minLength(span, gap) = " + CopyPaste.minLength(task.span(), task.gap())
                    + " so that the last answer sits at T − 2 in every sequence, got " + task.length());
        try (Step step = Step.open(net.params().manager(), net.params().arrays())) {
            NDManager m = step.manager();
            NDArray[] data = task.arrays(m, batch, seeds, index);
            int tau = task.length() - 2;
            NDArray last = m.arange(task.length()).eq(tau).toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
                    .reshape(1, 1, -1).broadcast(data[2].getShape());
            return measure(net, layer, data[0], data[1], data[2].mul(last), tau);
        }
    }
}
