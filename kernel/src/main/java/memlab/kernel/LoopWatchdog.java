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
 * waits for ever, because it only restarts kernels whose process has ended. Under load the first defect hits
 * about one loop start in six, so about half of all kernels lose one of their three loops; ending those
 * kernels (what this class did first) made Jupyter restart about every other kernel. Both defects leave the
 * channel's socket and handler intact and only end its thread, so the loop can be started again in place:
 * {@link WatchedKernel} looks every few milliseconds and asks the kernel to restart a dead loop, or ends the
 * process when a reason comes back.
 *
 * <p>The rules: while the kernel has not yet bound its channels (no loop threads, or loop threads not yet
 * started) it is healthy for {@code startupLimitMillis}, then it is not. A loop thread that has terminated
 * without a shutdown request (a shutdown ends the loops on purpose) is restarted once the kernel's handlers
 * exist (a loop restarted before would die again of the same {@code NullPointerException}), at most {@link
 * #MAX_RESTARTS} times per channel; after that, or when the handlers never appear, it is fatal.
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

        /** Whether the kernel's message handlers exist, so that a restarted loop can serve requests. */
        boolean handlersReady() throws ReflectiveOperationException;

        /** Starts a fresh loop thread for the channel whose loop has ended (same socket, same loop body). */
        void restartLoop(String channel) throws ReflectiveOperationException;
    }

    /** Restarts per channel before a dead loop counts as fatal. */
    static final int MAX_RESTARTS = 3;

    private final Kernel kernel;
    private final long startupLimitMillis;
    private final Map<String, Integer> restarts = new java.util.HashMap<>();

    LoopWatchdog(Kernel kernel, long startupLimitMillis) {
        this.kernel = kernel;
        this.startupLimitMillis = startupLimitMillis;
    }

    /** Loop restarts so far, by channel. */
    Map<String, Integer> restarts() {
        return Map.copyOf(restarts);
    }

    /**
     * Restarts dead loops where it can.
     *
     * @param millisSinceStart time since the kernel was launched
     * @return {@code null} while the kernel is healthy, still starting, or was just repaired; otherwise a one-line
     *     reason to end it
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
                    String dead = "the " + e.getKey() + " channel's message loop (thread '" + t.getName()
                            + "') has ended, so the kernel can no longer answer on that channel";
                    int n = restarts.getOrDefault(e.getKey(), 0);
                    if (n >= MAX_RESTARTS) {
                        return dead + " (restarted " + n + " times already)";
                    }
                    if (!kernel.handlersReady()) {
                        notStarted.add(e.getKey() + " (loop ended before the handlers existed)");
                        continue;
                    }
                    kernel.restartLoop(e.getKey());
                    restarts.put(e.getKey(), n + 1);
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
