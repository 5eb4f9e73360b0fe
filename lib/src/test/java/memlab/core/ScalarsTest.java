package memlab.core;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.*;

class ScalarsTest {
    private static final double[] VALUES = {1, 1e-8, 0.9, 0.999, -0.5, Math.PI, 2 * Math.PI};

    /** Each cached form against DJL's own {@code x.op(Number)}, bit for bit, in float32 and float64. */
    @Test
    void equalsDjlsNumberFormsBitForBit() {
        for (DataType type : new DataType[]{DataType.FLOAT32, DataType.FLOAT64})
            try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu())) {
                NDArray x = m.randomNormal(new Shape(3, 5)).toType(type, false);
                for (double v : VALUES) {
                    same(Scalars.add(x, v), x.add(v), type, v);
                    same(Scalars.sub(x, v), x.sub(v), type, v);
                    same(Scalars.mul(x, v), x.mul(v), type, v);
                    same(Scalars.div(x, v), x.div(v), type, v);
                    same(Scalars.minus(v, x), x.neg().add(v), type, v);
                    same(Scalars.muli(x.duplicate(), v), x.duplicate().muli(v), type, v);
                    same(Scalars.addi(x.duplicate(), v), x.duplicate().addi(v), type, v);
                }
            }
    }

    private static void same(NDArray ours, NDArray djl, DataType type, double v) {
        assertEquals(type, ours.getDataType(), "type kept for v = " + v);
        assertArrayEquals(djl.toType(DataType.FLOAT64, false).toDoubleArray(), ours.toType(DataType.FLOAT64, false).toDoubleArray(), 0, "v = " + v + ", " + type);
    }

    /** Results land in x's manager (closing it frees them); the constant is made once and survives that. */
    @Test
    void resultsBelongToTheOperandsManagerAndConstantsAreCached() {
        NDArray one;
        try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            NDArray x = m.ones(new Shape(2));
            for (BiFunction<NDArray, Double, NDArray> op : java.util.List.<BiFunction<NDArray, Double, NDArray>>of(
                    Scalars::add, Scalars::sub, Scalars::mul, Scalars::div, (a, v) -> Scalars.minus(v, a)))
                assertSame(m, op.apply(x, 1.0).getManager());
            one = Scalars.of(1, x);
            assertSame(one, Scalars.of(1, x));
            assertNotSame(one, Scalars.of(1, x.toType(DataType.FLOAT64, false)));
        }
        assertEquals(1f, one.getFloat(), "the cached constant outlives the manager of its first use");
    }

    /**
     * A constant first made inside an {@link ai.djl.ndarray.NDScope} (a model's time step closes its temporaries
     * that way) must not be closed with the scope: the cache would hand out a freed array.
     */
    @Test
    void aConstantFirstMadeInsideAScopeOutlivesIt() {
        double v = 0.123456789;                    // a value no other test uses, so the scope makes it
        try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            NDArray x = m.ones(new Shape(2)), inside;
            try (ai.djl.ndarray.NDScope scope = new ai.djl.ndarray.NDScope()) {
                inside = Scalars.of(v, x);
                Scalars.add(x, v);
            }
            assertFalse(inside.isReleased(), "the scope closed the cached constant");
            assertEquals((float) (1 + v), Scalars.add(x, v).getFloat(0));
        }
    }

    /**
     * The backward pass finds the constant even after garbage collections between the passes (DJL's
     * {@code x.mul(3.0)} failed this: gradient 0 in 3 of 200 trials; see the class comment).
     */
    @Test
    void constantsSurviveUntilTheBackwardPass() {
        try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            for (int trial = 0; trial < 100; trial++) {
                NDArray x = m.create(new float[]{1f, 2f});
                x.setRequiresGradient(true);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray y = Scalars.div(Scalars.mul(x, 3), 0.5);
                    for (int i = 0; i < 50; i++) m.create(new float[]{7f * i}).add(5.0).close();   // reuse of host buffers
                    if (trial % 10 == 0) System.gc();
                    gc.backward(y.sum());
                }
                assertArrayEquals(new float[]{6f, 6f}, x.getGradient().toFloatArray(), 0, "trial " + trial);
            }
        }
    }

    /** The constant takes part in autograd like a number: d(3x + 1)/dx = 3, d(1 − x)/dx = −1. */
    @Test
    void gradientsPassThrough() {
        try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            NDArray x = m.create(new float[]{0.5f, -2f});
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(Scalars.add(Scalars.mul(x, 3), 1).sum().add(Scalars.minus(1, x).sum().mul(2)));
            }
            assertArrayEquals(new float[]{1f, 1f}, x.getGradient().toFloatArray(), 0);
        }
    }
}
