package memlab.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decides whether a kernel's message loops are still serving requests.
 *
 * <p>rapaio-jupyter-kernel 3.0.1 can start up with a dead message loop: {@code LoopThread.start()} starts
 * the thread before setting its {@code running} flag, so the loop may see {@code false} and end at once, and
 * {@code Channels.connect()} starts the loops before it creates the handler map, so an early request can kill
 * the shell loop with a {@code NullPointerException}. The JVM then stays alive but never answers, and Jupyter
 * waits for ever, because it only restarts kernels whose process has ended. This class only decides; {@link
 * WatchedKernel} looks every few hundred milliseconds and ends the process when a reason comes back.
 *
 * <p>The rules: while the kernel has not yet bound its channels (no loop threads, or loop threads not yet
 * started) it is healthy for {@code startupLimitMillis}, then it is not; a loop thread that has terminated
 * is fatal, at start-up or later, unless a shutdown was requested (a shutdown ends the loops on purpose).
 */
final class LoopWatchdog {

    /** What the watchdog inspects; {@link WatchedKernel} reads it from the rapaio kernel, tests fake it. */
    interface Kernel {
        /**
         * The message-loop threads by channel name, or {@code null} while the kernel has not registered its
         * channels yet. A value may be {@code null} while that channel is still binding.
         */
        Map<String, Thread> loopThreads() throws ReflectiveOperationException;

        /** Whether the kernel was asked to shut down (its loops then end normally). */
        boolean shutdownRequested();
    }

    private final Kernel kernel;
    private final long startupLimitMillis;

    LoopWatchdog(Kernel kernel, long startupLimitMillis) {
        this.kernel = kernel;
        this.startupLimitMillis = startupLimitMillis;
    }

    /**
     * @param millisSinceStart time since the kernel was launched
     * @return {@code null} while the kernel is healthy or still starting; otherwise a one-line reason to end it
     */
    String check(long millisSinceStart) throws ReflectiveOperationException {
        if (kernel.shutdownRequested()) {
            return null;
        }
        Map<String, Thread> loops = kernel.loopThreads();
        List<String> notStarted = new ArrayList<>();
        if (loops == null) {
            notStarted.add("all channels");
        } else {
            for (Map.Entry<String, Thread> e : loops.entrySet()) {
                Thread t = e.getValue();
                if (t == null || t.getState() == Thread.State.NEW) {
                    notStarted.add(e.getKey());
                } else if (t.getState() == Thread.State.TERMINATED && !kernel.shutdownRequested()) {
                    return "the " + e.getKey() + " channel's message loop (thread '" + t.getName()
                            + "') has ended, so the kernel can no longer answer on that channel";
                }
            }
        }
        if (!notStarted.isEmpty() && millisSinceStart > startupLimitMillis) {
            return "the kernel did not start its message loops within " + startupLimitMillis / 1000
                    + " s (not started: " + String.join(", ", notStarted) + ")";
        }
        return null;
    }
}
