package memlab.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One writer per output folder: an operating-system lock ({@link FileChannel#tryLock()}) on
 * {@value #FILE} in the folder, whose text names the holder (process id, command, since when).
 *
 * <p>Two processes that resume the same results file (two {@code reproduce} runs, or a run and a
 * forgotten kernel) would each rewrite it from their own view and lose the other's rows; the second
 * one is refused with a message naming the first. The lock belongs to the process: the operating
 * system drops it when the process ends, however it ends, so a lock file left by a dead process is
 * simply taken over (its text is overwritten). Within one process the lock is re-entrant: the
 * cells of one notebook kernel share it.
 *
 * <p>Never read {@value #FILE} from the holding process: on POSIX systems closing any other handle
 * to a locked file drops the process's lock on it.
 */
public final class OutputLock implements AutoCloseable {
    /** Name of the lock file in the output folder. */
    public static final String FILE = ".memlab-lock";

    private record Held(FileChannel channel, FileLock lock, int[] count) {}

    private static final Map<Path, Held> HELD = new HashMap<>();

    private final Path dir;
    private boolean closed;

    private OutputLock(Path dir) {
        this.dir = dir;
    }

    /**
     * Takes the lock of {@code dir} (created if missing), or fails at once when another process holds it.
     *
     * @throws IllegalStateException naming the holder's process id and command
     */
    public static OutputLock acquire(Path dir) {
        Path d;
        try {
            d = Files.createDirectories(dir.toAbsolutePath().normalize()).toRealPath();   // one key per folder, however it is named
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create output folder " + dir, e);
        }
        synchronized (HELD) {
            Held held = HELD.get(d);
            if (held != null) {
                held.count()[0]++;
                return new OutputLock(d);
            }
            try {
                FileChannel ch = FileChannel.open(d.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
                FileLock lock;
                try {
                    lock = ch.tryLock();
                } catch (IOException | RuntimeException e) {
                    ch.close();
                    throw e;
                }
                if (lock == null) {
                    String holder = text(ch).strip();
                    ch.close();
                    throw new IllegalStateException("output folder " + d + " is in use by another process: "
                            + (holder.isEmpty() ? "(it has not written its name yet)" : holder)
                            + ". Two writers would overwrite each other's results; wait for that process to finish, or end it"
                            + " (kill <pid>), then run again. (lock: " + d.resolve(FILE) + ")");
                }
                byte[] me = describe().getBytes(StandardCharsets.UTF_8);
                ch.truncate(0);
                ch.write(ByteBuffer.wrap(me), 0);
                ch.force(false);
                HELD.put(d, new Held(ch, lock, new int[]{1}));
                return new OutputLock(d);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot lock output folder " + d, e);
            }
        }
    }

    /** Releases this hold; the lock itself goes when the process's last hold on the folder is released. */
    @Override
    public void close() {
        synchronized (HELD) {
            if (closed) return;
            closed = true;
            Held held = HELD.get(dir);
            if (held == null || --held.count()[0] > 0) return;
            HELD.remove(dir);
            try {
                held.lock().release();
                held.channel().close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** How the holder is named in the lock file: {@code pid N, since T, command C}. */
    static String describe() {
        ProcessHandle me = ProcessHandle.current();
        StringBuilder command = new StringBuilder(me.info().command().orElse("?"));
        String[] args = me.info().arguments().orElse(new String[0]);
        for (int i = 0; i < args.length; i++) {   // the class path says nothing about who holds the lock: shortened
            boolean classPath = i > 0 && List.of("-cp", "-classpath", "--class-path").contains(args[i - 1]);
            command.append(' ').append(classPath ? "…" : args[i].length() > 200 ? args[i].substring(0, 200) + "…" : args[i]);
        }
        return "pid " + me.pid() + ", since " + Instant.now() + ", command " + command + "\n";
    }

    private static String text(FileChannel ch) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(ch.size(), 4096));
        ch.read(buf, 0);
        return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
    }
}
