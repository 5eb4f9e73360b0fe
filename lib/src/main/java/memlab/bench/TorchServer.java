package memlab.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The eager-PyTorch side of a benchmark: a reference script run by {@code python} as a server
 * ({@code reference/bench_server.py}: a JSON "ready" line, then one JSON answer per request line
 * {@code "<batch> <steps>"}), so the Java side and the PyTorch side can alternate chunk by chunk.
 */
final class TorchServer implements AutoCloseable {
    private final Process process;
    private final BufferedReader in;
    private final PrintWriter out;
    private final String ready;

    private TorchServer(Process process) throws IOException {
        this.process = process;
        this.in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.out = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        this.ready = in.readLine();
        if (ready == null) throw new IOException("the PyTorch server ended before it was ready (see its error output above)");
    }

    /**
     * Starts {@code reference/<script>} (looked up from the working directory or its parent) with {@code args};
     * null, with the reason printed, when the script or the interpreter is missing.
     */
    static TorchServer start(String python, String script, List<String> args) throws IOException {
        Path path = Path.of("reference", script);
        if (!Files.exists(path)) path = Path.of("..", "reference", script);
        if (!Files.exists(path) || !Files.exists(Path.of(python))) {
            System.out.println("    (no " + python + " or reference/" + script + ": PyTorch side skipped)");
            return null;
        }
        List<String> cmd = new ArrayList<>(List.of(python, path.toString()));
        cmd.addAll(args);
        return new TorchServer(new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start());
    }

    /** The server's "ready" line (PyTorch version and threads). */
    String ready() { return ready; }

    /** Seconds per step (wall and process CPU) of {@code steps} steps of the trainer for {@code batch} (warmed up by the server on first use). */
    SideBySide.Timing time(int batch, int steps) throws IOException {
        out.println(batch + " " + steps);
        String line = in.readLine();
        if (line == null) throw new IOException("the PyTorch server ended early (see its error output above)");
        return new SideBySide.Timing(JsonNumber.after(line, "\"sec_per_step\""), JsonNumber.after(line, "\"cpu_per_step\""));
    }

    @Override
    public void close() throws InterruptedException {
        out.close();
        process.waitFor();
    }
}
