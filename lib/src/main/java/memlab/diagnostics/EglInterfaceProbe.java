package memlab.diagnostics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import memlab.egl.AttentionMemoryInterface;
import memlab.train.ParamSet;

import java.util.List;
import java.util.Map;

/**
 * The EGL paper's {@link AttentionMemoryInterface} on a fixed batch of its copy task, for
 * {@link Diagnostics}: loss is the per-run MSE of {@code y} against {@code x}; attention kinds
 * {@code write} and {@code read}. The interface's output is {@code y_t = read_out_net(o_t)}, so
 * zeroing the reads {@code o_t} gives {@code y_t = b_read_out} (the bias), which is what the
 * ablated pass returns. Groups: the four linear maps.
 */
public final class EglInterfaceProbe implements MemoryModel {
    private final AttentionMemoryInterface model;
    private final ParamSet params;
    private final float[] x, memory;
    private final long[] xShape, memShape;

    /**
     * @param x      inputs {@code (R, B, T, I)} (copied to the host: the probe outlives their manager)
     * @param memory initial memory {@code (R, B, S, D)}
     */
    public EglInterfaceProbe(AttentionMemoryInterface model, ParamSet params, NDArray x, NDArray memory) {
        this.model = model;
        this.params = params;
        this.x = x.toFloatArray();
        this.memory = memory.toFloatArray();
        this.xShape = x.getShape().getShape();
        this.memShape = memory.getShape().getShape();
    }

    @Override
    public ParamSet params() { return params; }

    @Override
    public List<ParamGroup> parameterGroups() {
        return List.of(ParamGroup.of("write value", "write_net.weight", "write_net.bias"),
                ParamGroup.of("write key", "write_query_net.weight", "write_query_net.bias"),
                ParamGroup.of("read key", "read_query_net.weight", "read_query_net.bias"),
                ParamGroup.of("output", "read_out_net.weight", "read_out_net.bias"));
    }

    @Override
    public Probe probe(NDManager m, boolean readsZeroed) {
        NDArray xs = m.create(x, new ai.djl.ndarray.types.Shape(xShape));
        AttentionMemoryInterface.Pass pass = model.forward(xs, m.create(memory, new ai.djl.ndarray.types.Shape(memShape)), null, null);
        NDArray y = pass.output();
        if (readsZeroed) {
            long r = xShape[0];
            y = params.get("read_out_net.bias").reshape(r, 1, 1, xShape[3]).broadcast(y.getShape());   // read_out_net(0)
        }
        NDArray loss = y.sub(xs).square().reshape(xShape[0], -1).mean(new int[]{1});
        return new Probe(loss, Map.of("write", pass.writeWeights(), "read", pass.readWeights()));
    }
}
