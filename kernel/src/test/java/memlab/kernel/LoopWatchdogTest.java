package memlab.kernel;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
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

    /** A fake kernel whose loop threads and shutdown flag the test sets; a restart puts a running thread in. */
    private final class FakeKernel implements LoopWatchdog.Kernel {
        Map<String, Thread> loops;
        boolean shutdown;
        boolean handlers = true;
        boolean restartsDie;
        final java.util.List<String> restarted = new java.util.ArrayList<>();

        @Override
        public boolean handlersReady() {
            return handlers;
        }

        @Override
        public void restartLoop(String channel) throws ReflectiveOperationException {
            restarted.add(channel);
            try {
                loops.put(channel, restartsDie ? ended(channel + "-again") : running(channel + "-again"));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }

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
    void shellLoopThatEndedAtStartIsRestarted() throws Exception {
        kernel.loops = loops(ended("Shell-0"), running("Shell-1"), running("Heartbeat-0"));
        assertNull(dog.check(300));
        assertEquals(java.util.List.of("shell"), kernel.restarted);
        assertEquals(Thread.State.WAITING, waitUntilBlocked(kernel.loops.get("shell")));
        assertNull(dog.check(400));
        assertEquals(1, kernel.restarted.size(), "a healthy restarted loop is left alone");
    }

    @Test
    void loopIsNotRestartedBeforeTheHandlersExist() throws Exception {
        // a loop restarted before the handler map exists would die again of the same NullPointerException
        kernel.handlers = false;
        kernel.loops = loops(ended("Shell-0"), running("Shell-1"), running("Heartbeat-0"));
        assertNull(dog.check(300));
        assertTrue(kernel.restarted.isEmpty());
        String reason = dog.check(LIMIT + 1);
        assertNotNull(reason, "handlers that never appear are fatal after the start-up limit");
        kernel.handlers = true;
        assertNull(dog.check(LIMIT + 2));
        assertEquals(java.util.List.of("shell"), kernel.restarted);
    }

    @Test
    void loopThatKeepsDyingIsFatalAfterMaxRestarts() throws Exception {
        kernel.restartsDie = true;
        kernel.loops = loops(running("Shell-0"), ended("Shell-1"), running("Heartbeat-0"));
        for (int i = 0; i < LoopWatchdog.MAX_RESTARTS; i++) {
            assertNull(dog.check(500 + i));
        }
        String reason = dog.check(600);
        assertNotNull(reason);
        assertTrue(reason.contains("control") && reason.contains("restarted " + LoopWatchdog.MAX_RESTARTS), reason);
        assertEquals(LoopWatchdog.MAX_RESTARTS, dog.restarts().get("control"));
    }

    @Test
    void loopKilledLaterByAnExceptionIsRestartedToo() throws Exception {
        Thread shell = new Thread(() -> {
            throw new NullPointerException("handlers is null");
        }, "Shell-0");
        shell.setUncaughtExceptionHandler((t, e) -> { });
        kernel.loops = loops(shell, running("Shell-1"), running("Heartbeat-0"));
        assertNull(dog.check(100));
        shell.start();
        shell.join();
        assertNull(dog.check(60_000));
        assertEquals(java.util.List.of("shell"), kernel.restarted);
    }

    private static Thread.State waitUntilBlocked(Thread t) throws InterruptedException {
        for (int i = 0; i < 500 && t.getState() != Thread.State.WAITING; i++) {
            Thread.sleep(2);
        }
        return t.getState();
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
