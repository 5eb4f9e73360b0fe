package memlab.kernel;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LoopWatchdogTest {

    private static final long LIMIT = 10_000;

    /** A fake kernel whose loop threads and shutdown flag the test sets. */
    private static final class FakeKernel implements LoopWatchdog.Kernel {
        Map<String, Thread> loops;
        boolean shutdown;

        @Override
        public Map<String, Thread> loopThreads() {
            return loops;
        }

        @Override
        public boolean shutdownRequested() {
            return shutdown;
        }
    }

    private final CountDownLatch release = new CountDownLatch(1);
    private final FakeKernel kernel = new FakeKernel();
    private final LoopWatchdog dog = new LoopWatchdog(kernel, LIMIT);

    @AfterEach
    void releaseThreads() {
        release.countDown();
    }

    private Thread running(String name) {
        Thread t = new Thread(() -> {
            try {
                release.await();
            } catch (InterruptedException ignored) {
                // end
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static Thread ended(String name) throws InterruptedException {
        Thread t = new Thread(() -> { }, name);
        t.start();
        t.join();
        return t;
    }

    private static Map<String, Thread> loops(Thread shell, Thread control, Thread heartbeat) {
        Map<String, Thread> m = new LinkedHashMap<>();
        m.put("shell", shell);
        m.put("control", control);
        m.put("heartbeat", heartbeat);
        return m;
    }

    @Test
    void healthyWhileChannelsAreNotRegisteredYet() throws Exception {
        kernel.loops = null;
        assertNull(dog.check(LIMIT - 1));
    }

    @Test
    void failsWhenChannelsNeverAppear() throws Exception {
        kernel.loops = null;
        String reason = dog.check(LIMIT + 1);
        assertNotNull(reason);
        assertTrue(reason.contains("did not start"), reason);
    }

    @Test
    void threadNotYetStartedIsNotMistakenForADeadOne() throws Exception {
        // the kernel assigns loopThread before it calls start(): state NEW must not count as dead
        kernel.loops = loops(new Thread(() -> { }, "Shell-0"), running("Shell-1"), null);
        assertNull(dog.check(1_000));
        assertNotNull(dog.check(LIMIT + 1));
    }

    @Test
    void healthyWhenAllLoopsRun() throws Exception {
        kernel.loops = loops(running("Shell-0"), running("Shell-1"), running("Heartbeat-0"));
        assertNull(dog.check(1_000));
        assertNull(dog.check(10 * LIMIT));
    }

    @Test
    void shellLoopThatEndedAtStartIsFatal() throws Exception {
        kernel.loops = loops(ended("Shell-0"), running("Shell-1"), running("Heartbeat-0"));
        String reason = dog.check(300);
        assertNotNull(reason);
        assertTrue(reason.contains("shell") && reason.contains("Shell-0"), reason);
    }

    @Test
    void loopKilledLaterByAnExceptionIsFatal() throws Exception {
        Thread shell = new Thread(() -> {
            throw new NullPointerException("handlers is null");
        }, "Shell-0");
        shell.setUncaughtExceptionHandler((t, e) -> { });
        kernel.loops = loops(shell, running("Shell-1"), running("Heartbeat-0"));
        assertNull(dog.check(100));
        shell.start();
        shell.join();
        assertNotNull(dog.check(60_000));
    }

    @Test
    void deadHeartbeatOrControlLoopIsFatalToo() throws Exception {
        kernel.loops = loops(running("Shell-0"), ended("Shell-1"), running("Heartbeat-0"));
        assertTrue(dog.check(500).contains("control"));
        kernel.loops = loops(running("Shell-0"), running("Shell-1"), ended("Heartbeat-0"));
        assertTrue(dog.check(500).contains("heartbeat"));
    }

    @Test
    void loopsEndedByAShutdownRequestAreFine() throws Exception {
        kernel.loops = loops(ended("Shell-0"), ended("Shell-1"), ended("Heartbeat-0"));
        kernel.shutdown = true;
        assertNull(dog.check(LIMIT + 1));
    }

    @Test
    void theRapaioClassesHaveTheFieldsTheProbeReads() {
        assertDoesNotThrow(WatchedKernel.RapaioProbe::checkFields);
    }
}
