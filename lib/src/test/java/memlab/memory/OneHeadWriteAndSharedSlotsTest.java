package memlab.memory;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The faster forms the DNC's step uses against the general ones they stand for (float64): the one-head
 * write {@link Memory#writeOne} against {@link Memory#write(NDArray, NDArray, NDArray, NDArray)} with H = 1,
 * values and gradients, and a lookup in shared {@link Addressing.Slots} against the plain lookup.
 */
class OneHeadWriteAndSharedSlotsTest {
    static final double TOL = 1e-12;

    static NDArray random(NDManager m, long seed, long... shape) {
        m.getEngine().setRandomSeed((int) seed);
        return m.randomUniform(0, 1, new Shape(shape), DataType.FLOAT64);
    }

    @Test
    void oneHeadWriteIsTheGeneralWriteWithOneHead() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray mem = random(m, 1, 3, 5, 4).sub(0.5), w = random(m, 2, 3, 1, 5), e = random(m, 3, 3, 1, 4), v = random(m, 4, 3, 1, 4).sub(0.5);
            // the erase-then-add write entry by entry: M'[s, d] = M[s, d] (1 − w_s e_d) + w_s v_d
            double[] mm = mem.toDoubleArray(), ww = w.toDoubleArray(), ee = e.toDoubleArray(), vv = v.toDoubleArray(), want = new double[mm.length];
            for (int n = 0; n < 3; n++)
                for (int s = 0; s < 5; s++)
                    for (int d = 0; d < 4; d++) {
                        int i = (n * 5 + s) * 4 + d;
                        want[i] = mm[i] * (1 - ww[n * 5 + s] * ee[n * 4 + d]) + ww[n * 5 + s] * vv[n * 4 + d];
                    }
            NDArray[] inputs = {mem, w, e, v};
            double[][] gOne = grads(inputs, x -> Memory.writeOne(x[0], x[1].transpose(0, 2, 1), x[2], x[3])),
                    gAll = grads(inputs, x -> Memory.write(x[0], x[1], x[2], x[3]));
            assertArrayEquals(want, Memory.writeOne(mem, w.transpose(0, 2, 1), e, v).toDoubleArray(), TOL);
            assertArrayEquals(want, Memory.write(mem, w, e, v).toDoubleArray(), TOL);
            for (int k = 0; k < inputs.length; k++) assertArrayEquals(gAll[k], gOne[k], TOL, "gradient of input " + k);
        }
    }

    @Test
    void lookupInSharedSlotsIsThePlainLookup() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray mem = random(m, 5, 2, 6, 3).sub(0.5), keys = random(m, 6, 2, 2, 3).sub(0.5), beta = random(m, 7, 2, 2, 1).mul(5);
            Addressing.Slots slots = Addressing.Slots.of(mem);
            assertArrayEquals(mem.norm(new int[]{2}).toDoubleArray(), slots.norms().toDoubleArray(), TOL);
            assertEquals(new Shape(2, 1, 6), slots.norms().getShape());
            assertArrayEquals(Addressing.cosine(mem, keys, beta).toDoubleArray(), Addressing.cosine(slots, keys, beta).toDoubleArray(), TOL);
            // the same state read twice (the DNC's read at t and write at t + 1)
            assertArrayEquals(Addressing.cosine(mem, keys.get("..., :1, :"), beta.get("..., :1, :")).toDoubleArray(),
                    Addressing.cosine(slots, keys.get("..., :1, :"), beta.get("..., :1, :")).toDoubleArray(), TOL);
        }
    }

    /** ∂(Σ c ⊙ f)/∂ each input (on fresh copies), for a fixed pattern c (so every output entry counts differently). */
    static double[][] grads(NDArray[] values, java.util.function.Function<NDArray[], NDArray> f) {
        NDArray[] inputs = new NDArray[values.length];
        for (int k = 0; k < values.length; k++) {
            inputs[k] = values[k].duplicate();
            inputs[k].setRequiresGradient(true);
        }
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray y = f.apply(inputs);
            NDArray c = y.getManager().arange(0, (int) y.size(), 1, DataType.FLOAT64).reshape(y.getShape()).mul(0.1).sin();
            gc.backward(y.mul(c).sum());
        }
        double[][] g = new double[inputs.length][];
        for (int k = 0; k < inputs.length; k++) g[k] = inputs[k].getGradient().toDoubleArray();
        return g;
    }
}
