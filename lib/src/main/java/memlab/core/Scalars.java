package memlab.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Arithmetic with a constant number, through cached 0-dimensional arrays.
 *
 * <p>Why: DJL's {@code x.add(1)} creates a fresh array from the host for the number on every call,
 * which on this lab's machines costs four to six times the operation itself (about 10 µs against
 * 2 µs, measured at the sizes of the memory models' steps). A model step with a few such constants
 * per time step pays that on every step. Here each constant is created once per value and data
 * type and kept; PyTorch broadcasts a 0-dimensional array like a number (also onto a GPU array),
 * and the result keeps {@code x}'s data type, so {@code add(x, 1)} equals {@code x.add(1)} bit
 * for bit.
 *
 * <p>Also why: DJL builds the number of {@code x.mul(v)} over a host buffer that it releases right
 * after the operation, while autograd keeps that number for the backward pass of {@code mul},
 * {@code div} and {@code pow}. A garbage collection between the forward and the backward pass then
 * hands the backward pass whatever the buffer holds by then: measured here, {@code d(3x)/dx} came
 * out as 0 in 3 of 200 trials with a collection in between. The cached constants are made by the
 * engine and never released, so the backward pass always finds them.
 *
 * <p>Every result lands in {@code x}'s manager, as {@code x.add(1)} would; the constants live in a
 * manager of their own that is never closed (a few arrays of one number each). Only for values fixed
 * in the code or a configuration: a value that changes every step would fill the cache.
 */
public final class Scalars {
    private static final NDManager HOME = NDManager.newBaseManager(ai.djl.Device.cpu());
    private static final Map<String, NDArray> CACHE = new ConcurrentHashMap<>();

    private Scalars() {}

    /** The constant {@code v} as a 0-dimensional array of {@code x}'s data type (cached; never close it). */
    public static NDArray of(double v, NDArray x) {
        DataType type = x.getDataType();
        // zeros + v: a natively allocated array (an array made from a host buffer may share that
        // buffer), rounded to the type exactly as x.add(v) rounds v
        return CACHE.computeIfAbsent(type + ":" + Double.doubleToLongBits(v), k -> {
            NDArray c = HOME.zeros(new ai.djl.ndarray.types.Shape(), type).addi(v);
            ai.djl.ndarray.NDScope.unregister(c);          // made inside a caller's NDScope, it must outlive it
            return c;
        });
    }

    /** {@code x + v}. */
    public static NDArray add(NDArray x, double v) {
        return x.add(of(v, x));
    }

    /** {@code x − v}. */
    public static NDArray sub(NDArray x, double v) {
        return x.sub(of(v, x));
    }

    /** {@code x · v}. */
    public static NDArray mul(NDArray x, double v) {
        return x.mul(of(v, x));
    }

    /** {@code x / v}. */
    public static NDArray div(NDArray x, double v) {
        return x.div(of(v, x));
    }

    /**
     * {@code v − x} (for example {@code 1 − x}): a negation and an addition, both in {@code x}'s manager;
     * the addition in place, since the negation's backward does not keep its output (one array fewer).
     */
    public static NDArray minus(double v, NDArray x) {
        return x.neg().addi(of(v, x));
    }

    /** {@code x ← x · v}, in place; returns {@code x}. */
    public static NDArray muli(NDArray x, double v) {
        return x.muli(of(v, x));
    }

    /** {@code x ← x + v}, in place; returns {@code x}. */
    public static NDArray addi(NDArray x, double v) {
        return x.addi(of(v, x));
    }
}
