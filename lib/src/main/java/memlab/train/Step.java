package memlab.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDResource;

/**
 * The memory scope of one training step.
 *
 * <p>Every NDArray a step creates (activations, gradients, optimiser temporaries) lives in a
 * sub-manager that is closed when the step ends, so a 300-epoch run does not grow its native
 * memory. DJL attaches the result of an operation to the manager of its first operand; the
 * long-lived arrays (parameters, optimiser state) are therefore attached to the step temporarily
 * and handed back to their own manager when the step closes, so that even {@code weight.mul(x)}
 * lands in the step.
 *
 * <pre>{@code
 * try (Step step = Step.open(model.manager(), model.params().arrays(), optimizer.state())) {
 *     NDManager m = step.manager();
 *     ...
 * }
 * }</pre>
 */
public final class Step implements AutoCloseable {
    private final NDManager manager;

    private Step(NDManager manager) {
        this.manager = manager;
    }

    /**
     * Opens a step under {@code parent}, temporarily attaching {@code longLived} to it.
     *
     * @param parent    the manager that owns the long-lived arrays
     * @param longLived parameters, optimiser state: anything the step reads or updates in place
     */
    public static Step open(NDManager parent, NDResource[]... longLived) {
        gradModeOff();
        NDManager sub = parent.newSubManager();
        for (NDResource[] group : longLived) if (group.length > 0) sub.tempAttachAll(group);
        return new Step(sub);
    }

    /**
     * Turns autograd's recording off on the calling thread, outside any gradient collector.
     * PyTorch keeps this mode per thread and starts every new thread with it on; DJL turns it off
     * only on the thread that started the engine. A step run on another thread (the Java kernel
     * sometimes runs a cell on a second worker thread) would otherwise do its in-place parameter
     * update under autograd and fail ("a leaf Variable that requires grad is being used in an
     * in-place operation"). A {@code GradientCollector} opened inside the step turns recording on
     * and restores this state when it closes.
     */
    static void gradModeOff() {
        if ("PyTorch".equals(ai.djl.engine.Engine.getInstance().getEngineName()))
            ai.djl.pytorch.jni.JniUtils.setGradMode(false);
    }

    /** The manager every array of this step should be created in. */
    public NDManager manager() {
        return manager;
    }

    @Override
    public void close() {
        manager.close();
    }
}
