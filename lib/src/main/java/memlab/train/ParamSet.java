package memlab.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDResource;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The trainable parameters of a model, by name, each with a leading <em>run</em> dimension.
 *
 * <p>A parameter of per-run shape {@code (d1, d2, ...)} is stored as one array of shape
 * {@code (R, d1, d2, ...)}: run {@code r} of a batched sweep owns slice {@code r}. A single run is
 * simply {@code R = 1}. Optimisers, clipping and gradient norms work per run on this layout, which
 * is what lets a sweep over seeds and hyper-parameters train as one model.
 */
public final class ParamSet implements AutoCloseable {
    private final NDManager manager;
    private final int runs;
    private final Map<String, NDArray> params = new LinkedHashMap<>();

    /**
     * @param parent the manager the parameters are created under (a sub-manager is made)
     * @param runs   number of independent runs stacked in the leading dimension, {@code > 0}
     */
    public ParamSet(NDManager parent, int runs) {
        memlab.core.Check.positive("runs", runs);
        this.manager = parent.newSubManager();
        this.runs = runs;
    }

    /**
     * Adds a parameter whose run {@code r} slice is filled by {@code init.apply(r)}.
     *
     * @param name         unique name, e.g. {@code write_net.weight}
     * @param perRunShape  shape of one run's slice
     * @param init         values of run {@code r}'s slice in row-major order
     */
    public NDArray add(String name, Shape perRunShape, IntFunction<float[]> init) {
        if (params.containsKey(name)) throw new IllegalArgumentException("parameter '" + name + "' already exists");
        int n = Math.toIntExact(perRunShape.size());
        float[] all = new float[n * runs];
        for (int r = 0; r < runs; r++) {
            float[] slice = init.apply(r);
            if (slice.length != n)
                throw new IllegalArgumentException("init of '" + name + "' gave " + slice.length + " values, shape " + perRunShape + " needs " + n);
            System.arraycopy(slice, 0, all, r * n, n);
        }
        NDArray p = manager.create(all, new Shape(runs).addAll(perRunShape));
        p.setName(name);
        p.setRequiresGradient(true);
        params.put(name, p);
        return p;
    }

    /** The parameter called {@code name}. */
    public NDArray get(String name) {
        NDArray p = params.get(name);
        if (p == null) throw new IllegalArgumentException("no parameter '" + name + "'; have " + params.keySet());
        return p;
    }

    /** All parameters in insertion order. */
    public Map<String, NDArray> all() {
        return Collections.unmodifiableMap(params);
    }

    /** The parameters as resources, for {@link Step#open}. */
    public NDResource[] arrays() {
        return params.values().toArray(new NDResource[0]);
    }

    /** Number of runs in the leading dimension. */
    public int runs() {
        return runs;
    }

    /** The manager owning the parameters (use it for other long-lived model state). */
    public NDManager manager() {
        return manager;
    }

    /** Sets every parameter's gradient to zero (PyTorch accumulates gradients across backward passes). */
    public void zeroGrad() {
        for (NDArray p : params.values()) if (p.hasGradient()) JniUtils.zeroGrad((PtNDArray) p);
    }

    /** Total number of scalar parameters of one run. */
    public long sizePerRun() {
        long n = 0;
        for (NDArray p : params.values()) n += p.getShape().size() / runs;
        return n;
    }

    @Override
    public void close() {
        manager.close();
    }
}
