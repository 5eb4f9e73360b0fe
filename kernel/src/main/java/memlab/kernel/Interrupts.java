package memlab.kernel;

import java.lang.reflect.Field;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Stack;
import java.util.concurrent.atomic.AtomicLong;
import org.rapaio.jupyter.kernel.MainApp;
import org.rapaio.jupyter.kernel.channels.Channels;
import org.rapaio.jupyter.kernel.channels.ControlChannel;
import org.rapaio.jupyter.kernel.channels.MessageHandler;
import org.rapaio.jupyter.kernel.core.java.JavaEngine;
import org.rapaio.jupyter.kernel.core.java.RapaioExecutionControlProvider;
import org.rapaio.jupyter.kernel.message.Message;
import org.rapaio.jupyter.kernel.message.MessageId;
import org.rapaio.jupyter.kernel.message.MessageType;
import org.rapaio.jupyter.kernel.message.messages.ControlInterruptReply;

/**
 * Makes Jupyter's interrupt ({@code interrupt_request}, the stop button) stop a running cell and leave the kernel
 * usable.
 *
 * <p>Why: rapaio-jupyter-kernel 3.0.1 handles the request on the control thread with state it shares with the
 * shell thread that runs the cell. It sets the one "current message" field to the interrupt request, so the
 * running cell's outputs and its {@code execute_reply} go out as replies to the interrupt and the client never
 * sees the cell finish; it runs the shared stack of "after" actions, which holds the running cell's pending
 * actions (idle status, restoring System.out); it cancels the cell's future (which only sets the thread's
 * interrupt flag, ignored by a training loop) and then shuts the execution thread pool down, so the next cell
 * cannot run.
 *
 * <p>What this does instead, through the kernel's handler map and two of its fields (set by reflection; the
 * kernel's code is not patched): the "after" actions become per thread; the interrupt handler puts the shell's
 * current message back at once, replies on the control channel, and sets the system property {@value #PROPERTY},
 * which {@code memlab.notebook.Interrupt.check()} (called once per step by the library's training loops and
 * sweeps) turns into an exception that ends the cell; each new {@code execute_request} clears the property. A
 * cell that does not call the check (plain Java code) is cancelled the kernel's way, without shutting the pool
 * down, if it is still running {@code graceMillis} later.
 */
final class Interrupts {

    /** System property the library's {@code memlab.notebook.Interrupt} reads; set while an interrupt is pending. */
    static final String PROPERTY = "memlab.interrupt";

    private final Channels channels;
    private final ControlChannel control;
    private final long graceMillis;
    private Runnable beforeFirstCell;
    private volatile MessageId<?> shellMessage;
    private volatile boolean executing;
    private final AtomicLong executions = new AtomicLong();

    private Interrupts(Channels channels, long graceMillis, Runnable beforeFirstCell) throws ReflectiveOperationException {
        this.channels = channels;
        this.beforeFirstCell = beforeFirstCell;
        this.control = (ControlChannel) read(channels, Channels.class, "control");
        this.graceMillis = graceMillis;
    }

    /** Per-thread "after" actions; call as soon as the kernel's channels exist, before any message is handled. */
    static void separateAfterActions(Channels channels) throws ReflectiveOperationException {
        Field f = Channels.class.getDeclaredField("afterActions");
        f.setAccessible(true);
        Object current = f.get(channels);
        if (!(current instanceof PerThreadStack)) {
            @SuppressWarnings("unchecked")
            Stack<Runnable> legacy = (Stack<Runnable>) current;
            f.set(channels, new PerThreadStack(legacy));
        }
    }

    /** Wraps the kernel's handlers; call once its handler map exists. {@code beforeFirstCell} runs on the shell thread. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static Interrupts install(Channels channels, long graceMillis, Runnable beforeFirstCell)
            throws ReflectiveOperationException {
        Interrupts in = new Interrupts(channels, graceMillis, beforeFirstCell);
        separateAfterActions(channels);
        Field f = Channels.class.getDeclaredField("handlers");
        f.setAccessible(true);
        Map<MessageType<?>, MessageHandler> handlers = new HashMap<>((Map<MessageType<?>, MessageHandler>) f.get(channels));
        for (Map.Entry<MessageType<?>, MessageHandler> e : handlers.entrySet()) {
            MessageType<?> type = e.getKey();
            if (type != MessageType.CONTROL_SHUTDOWN_REQUEST && type != MessageType.CONTROL_INTERRUPT_REQUEST) {
                e.setValue(in.shell(type, e.getValue()));
            }
        }
        handlers.put(MessageType.CONTROL_INTERRUPT_REQUEST, (MessageHandler) m -> in.interrupt((Message<?>) m));
        f.set(channels, handlers);
        return in;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private MessageHandler shell(MessageType<?> type, MessageHandler inner) {
        boolean execute = type == MessageType.SHELL_EXECUTE_REQUEST;
        return m -> {
            shellMessage = ((Message<?>) m).getId();
            if (!execute) {
                inner.handle(m);
                return;
            }
            System.clearProperty(PROPERTY);  // an interrupt ends the cell it arrived in, not the next one
            if (beforeFirstCell != null) {
                Runnable r = beforeFirstCell;
                beforeFirstCell = null;
                try {
                    r.run();
                } catch (RuntimeException e) {
                    WatchedKernel.log("before the first cell: " + e);
                }
            }
            executions.incrementAndGet();
            executing = true;
            try {
                inner.handle(m);
            } finally {
                executing = false;
            }
        };
    }

    private void interrupt(Message<?> request) {
        MessageId<?> running = shellMessage;
        if (running != null) {
            channels.setMsgId(running);  // the control loop just pointed it at this request
        }
        control.sendMessage(new Message<>(request.getId(), MessageType.CONTROL_INTERRUPT_REPLY,
                new ControlInterruptReply()));
        if (!executing) {
            return;
        }
        long execution = executions.get();
        System.setProperty(PROPERTY, "interrupt requested at " + Instant.now());
        WatchedKernel.log("interrupt requested: the running cell stops at its next training step or sweep run");
        Thread fallback = new Thread(() -> {
            try {
                Thread.sleep(graceMillis);
                if (executing && executions.get() == execution && System.getProperty(PROPERTY) != null) {
                    WatchedKernel.log("the cell did not stop within " + graceMillis / 1000
                            + " s (no interrupt check in its code); cancelling its evaluation");
                    cancelEvaluation();
                }
            } catch (InterruptedException ignored) {
                // kernel ending
            } catch (ReflectiveOperationException | RuntimeException e) {
                WatchedKernel.log("could not cancel the cell: " + e);
            }
        }, "memlab-interrupt-fallback");
        fallback.setDaemon(true);
        fallback.start();
    }

    /** The kernel's own cancel (interrupts the evaluation thread), without its shutdown of the thread pool. */
    private static void cancelEvaluation() throws ReflectiveOperationException {
        JavaEngine engine = MainApp.kernel.javaEngine();
        RapaioExecutionControlProvider provider =
                (RapaioExecutionControlProvider) read(engine, JavaEngine.class, "controlProvider");
        String id = (String) read(engine, JavaEngine.class, "executionId");
        provider.getRegisteredControl(id).interrupt();
    }

    static Object read(Object target, Class<?> type, String name) throws ReflectiveOperationException {
        Field f = type.getDeclaredField(name);
        f.setAccessible(true);
        return f.get(target);
    }

    /**
     * The kernel's stack of actions to run after a handler, kept per thread so that the control thread does not
     * run (and lose) the actions a running cell scheduled on the shell thread. Actions pushed before the swap stay
     * in the shared stack and run as before.
     */
    static final class PerThreadStack extends Stack<Runnable> {
        private final transient Stack<Runnable> legacy;
        private final transient ThreadLocal<Stack<Runnable>> mine = ThreadLocal.withInitial(Stack::new);

        PerThreadStack(Stack<Runnable> legacy) {
            this.legacy = legacy;
        }

        @Override
        public Runnable push(Runnable r) {
            return mine.get().push(r);
        }

        @Override
        public synchronized Runnable pop() {
            Stack<Runnable> s = mine.get();
            if (!s.isEmpty()) {
                return s.pop();
            }
            synchronized (legacy) {
                return legacy.pop();
            }
        }

        @Override
        public synchronized Runnable peek() {
            Stack<Runnable> s = mine.get();
            return s.isEmpty() ? legacy.peek() : s.peek();
        }

        @Override
        public synchronized boolean isEmpty() {
            return mine.get().isEmpty() && legacy.isEmpty();
        }

        @Override
        public boolean empty() {
            return isEmpty();
        }

        @Override
        public synchronized int size() {
            return mine.get().size() + legacy.size();
        }
    }
}
