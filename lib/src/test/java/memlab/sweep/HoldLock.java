package memlab.sweep;

import java.nio.file.Path;

/** A second writer for {@link OutputLockTest}: takes the lock of the folder {@code args[0]}, says so, and holds it until its input closes. */
public final class HoldLock {
    public static void main(String[] args) throws Exception {
        try (OutputLock lock = OutputLock.acquire(Path.of(args[0]))) {
            System.out.println("held");
            System.out.flush();
            while (System.in.read() >= 0) { /* hold until the test closes our input or ends us */ }
        }
    }
}
