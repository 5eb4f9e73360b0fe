package memlab.kernel;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.rapaio.shaded.com.google.gson.JsonElement;
import org.rapaio.shaded.com.google.gson.JsonObject;
import org.rapaio.shaded.com.google.gson.JsonParser;

/**
 * Under {@code bin/memlab lab}, sends each notebook's figures to {@code <MEMLAB_LAB_OUT>/<notebook stem>/}, the
 * folder the README names, as {@code bin/memlab reproduce} does.
 *
 * <p>The library writes to the system property {@code memlab.out} (else {@code MEMLAB_OUT}); every kernel of one
 * Jupyter server shares one environment, so the notebook's name has to come from the server: the environment
 * variable {@code JPY_SESSION_NAME} (jupyter_server 2), else the server's sessions API, found through the server
 * information file beside the connection file ({@code nbserver-<parent pid>.json} or {@code jpserver-...}), matched
 * by this kernel's id (the connection file is {@code kernel-<id>.json}). Done once, when the first cell runs (the
 * session exists by then). {@code MEMLAB_OUT} or {@code memlab.out} set by the user win.
 */
final class LabOutput {
    static final String ENV = "MEMLAB_LAB_OUT";
    static final String PROPERTY = "memlab.out";

    private LabOutput() {}

    /** Sets {@code memlab.out} for this kernel's notebook; logs and leaves it unset when it cannot tell which. */
    static void configure(Path connectionFile) {
        String root = System.getenv(ENV);
        if (root == null || root.isBlank() || System.getProperty(PROPERTY) != null || System.getenv("MEMLAB_OUT") != null) {
            return;
        }
        String notebook;
        try {
            notebook = notebookPath(connectionFile);
        } catch (Exception e) {
            notebook = null;
            WatchedKernel.log("cannot ask the server which notebook this kernel runs: " + e);
        }
        if (notebook == null) {
            System.setProperty(PROPERTY, root);
            WatchedKernel.log("notebook name unknown; figures go to " + root);
            return;
        }
        String stem = Path.of(notebook).getFileName().toString().replaceFirst("\\.ipynb$", "");
        String out = Path.of(root, stem).toString();
        System.setProperty(PROPERTY, out);
        WatchedKernel.log("figures of " + notebook + " go to " + out);
    }

    private static String notebookPath(Path connectionFile) throws Exception {
        String session = System.getenv("JPY_SESSION_NAME");
        if (session != null && !session.isBlank()) {
            return session;
        }
        String file = connectionFile.getFileName().toString();
        if (!file.startsWith("kernel-") || !file.endsWith(".json")) {
            return null;
        }
        String kernelId = file.substring("kernel-".length(), file.length() - ".json".length());
        long parent = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
        Path dir = connectionFile.toAbsolutePath().getParent();
        for (String prefix : new String[] {"jpserver-", "nbserver-"}) {
            Path info = dir.resolve(prefix + parent + ".json");
            if (Files.isRegularFile(info)) {
                return sessionPath(JsonParser.parseString(Files.readString(info)).getAsJsonObject(), kernelId);
            }
        }
        return null;
    }

    private static String sessionPath(JsonObject server, String kernelId) throws Exception {
        String url = server.get("url").getAsString();
        String token = server.has("token") ? server.get("token").getAsString() : "";
        URI uri = URI.create((url.endsWith("/") ? url : url + "/") + "api/sessions"
                + (token.isEmpty() ? "" : "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET api/sessions answered " + r.statusCode());
        }
        for (JsonElement e : JsonParser.parseString(r.body()).getAsJsonArray()) {
            JsonObject s = e.getAsJsonObject();
            if (s.has("kernel") && kernelId.equals(s.getAsJsonObject("kernel").get("id").getAsString())) {
                return s.has("path") ? s.get("path").getAsString() : s.getAsJsonObject("notebook").get("path").getAsString();
            }
        }
        return null;
    }
}
