package memlab.ephemeral;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;

/**
 * An independent computation of the paper's update rule for one run and one sequence: the
 * gradients come from DJL autograd (GradientCollector) on the plain network with explicit effective
 * weights, the updates from Eq. 5–6 written out in Java. Weights use the model's layout
 * {@code x W + b}: {@code win (I, H)} with the bias as row V, {@code wrec (H, H)}, {@code wout (H, V)}.
 */
final class AutogradReference {
    final int v, h, i;
    float[] slowIn, slowRec, wout, bout, maskIn, maskRec, eIn, eRec;
    final boolean value;
    final HiddenActivation activation;

    AutogradReference(EphemeralNet net) {
        v = net.vocab();
        h = net.config().hidden();
        i = v + 1;
        value = net.config().decayTarget() == DecayTarget.VALUE;
        activation = net.config().activation();
        float[] w = net.params().get("input.weight").toFloatArray(), b = net.params().get("input.bias").toFloatArray();
        slowIn = new float[i * h];
        System.arraycopy(w, 0, slowIn, 0, v * h);
        System.arraycopy(b, 0, slowIn, v * h, h);
        wout = net.params().get("output.weight").toFloatArray();
        bout = net.params().get("output.bias").toFloatArray();
        maskIn = net.inputMask();
        eIn = net.ephemeralInput();
        if (net.config().recurrence()) {
            slowRec = net.params().get("recurrent.weight").toFloatArray();
            eRec = net.ephemeralRecurrent();
            maskRec = net.recurrentMask();
        }
    }

    private float[] effective(float[] slow, float[] mask, float[] e) {
        float[] out = new float[slow.length];
        for (int k = 0; k < out.length; k++) out[k] = (value ? slow[k] * (1 - mask[k]) : slow[k]) + e[k];
        return out;
    }

    /** The hidden state after the last character of the last {@link #gradients} call. */
    float[] hidden;

    /**
     * Gradients {win, wrec, wout, bout} of Σ_t L_t over {@code inputs}, starting from hidden state
     * {@code h0} (null: zeros); through time if {@code throughTime}, else h_{t-1} is a constant.
     */
    float[][] gradients(NDManager m, int[] inputs, int[] targets, float[] h0, boolean throughTime) {
        NDArray win = m.create(effective(slowIn, maskIn, eIn), new Shape(i, h));
        NDArray wrec = slowRec == null ? null : m.create(effective(slowRec, maskRec, eRec), new Shape(h, h));
        NDArray wo = m.create(wout, new Shape(h, v)), bo = m.create(bout, new Shape(1, v));
        for (NDArray p : new NDArray[]{win, wrec, wo, bo}) if (p != null) p.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray hPrev = h0 == null ? m.zeros(new Shape(1, h)) : m.create(h0, new Shape(1, h));
            NDArray loss = m.zeros(new Shape(1));
            for (int t = 0; t < inputs.length; t++) {
                float[] u = new float[i];
                u[inputs[t]] = 1;
                u[v] = 1;
                NDArray a = m.create(u, new Shape(1, i)).matMul(win);
                if (wrec != null) a = a.add((throughTime ? hPrev : hPrev.stopGradient()).matMul(wrec));
                NDArray hh = activation == HiddenActivation.GELU ? Activation.gelu(a) : Activation.relu(a);   // DJL's own ops, differentiated by autograd
                NDArray logp = hh.matMul(wo).add(bo).logSoftmax(1);
                loss = loss.sub(logp.get("0, {}", targets[t]));
                hPrev = hh;
            }
            gc.backward(loss);
            hidden = hPrev.toFloatArray();
        }
        return new float[][]{win.getGradient().toFloatArray(), wrec == null ? null : wrec.getGradient().toFloatArray(),
                wo.getGradient().toFloatArray(), bo.getGradient().toFloatArray()};
    }

    /** Eq. 5–6 on the ephemeral part: {@code E ← γ (E − lr α M ⊙ g)}. */
    static void ephemeralUpdate(float[] e, float[] mask, float[] g, double lr, double alpha, double gamma) {
        for (int k = 0; k < e.length; k++) e[k] = (float) (gamma * (e[k] - lr * alpha * mask[k] * g[k]));
    }

    static void add(float[] acc, float[] g) {
        for (int k = 0; k < acc.length; k++) acc[k] += g[k];
    }

    static float[] slowUpdate(float[] w, float[] g, double lr) {
        float[] out = w.clone();
        for (int k = 0; k < w.length; k++) out[k] -= (float) (lr * g[k]);
        return out;
    }
}
