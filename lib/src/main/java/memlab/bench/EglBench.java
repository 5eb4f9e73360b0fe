package memlab.bench;

import memlab.egl.CopyExperiment;
import memlab.egl.CopyExperiment.Run;
import memlab.egl.CopyExperiment.Setup;
import memlab.train.Optimizer;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark (not a test): seconds per epoch of the EGL paper setting (B 32, T 50, in 80, mem 160,
 * S 100; Adam 5e-4, clip 1.0), link off and on, in this JVM and in eager PyTorch
 * ({@code reference/egl_bench.py} on Debian's {@code python3-torch}), run one after the other in
 * the same command on the same machine. Prints the ratio Java / PyTorch (below 1 = Java faster).
 *
 * <pre>  java -cp lib/target/memlab.jar memlab.bench.EglBench [epochs] [warmup] [runs-batched]</pre>
 */
public final class EglBench {
    private EglBench() {}

    public static void main(String[] args) throws Exception {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int batched = args.length > 2 ? Integer.parseInt(args[2]) : 6;
        double[] java = new double[2];
        for (int link = 0; link < 2; link++) java[link] = secondsPerEpoch(link == 1, 1, epochs, warmup);
        System.out.printf(Locale.ROOT, "java     s/epoch  link off %.4f  link on %.4f%n", java[0], java[1]);

        double[] torch = pytorch(epochs, warmup);
        if (torch != null) {
            System.out.printf(Locale.ROOT, "pytorch  s/epoch  link off %.4f  link on %.4f%n", torch[0], torch[1]);
            System.out.printf(Locale.ROOT, "ratio java/pytorch  link off %.2f  link on %.2f%n", java[0] / torch[0], java[1] / torch[1]);
        }
        // Profile: the same graph (same T, same op count) at tiny sizes costs only the per-op
        // overhead (dispatch, JNI, autograd bookkeeping); the rest of the paper-size step is arithmetic.
        double floor = secondsPerEpoch(true, 1, epochs, warmup, new Setup(1, 50, 2, 2, 2, 1));
        System.out.printf(Locale.ROOT, "profile  link on: per-op overhead %.4f s/epoch (same ops at tiny sizes) = %.0f%% of the step; arithmetic %.0f%%%n",
                floor, 100 * floor / java[1], 100 * (1 - floor / java[1]));
        if (batched > 1) {
            double b = secondsPerEpoch(true, batched, Math.max(epochs / 2, 3), 1);
            System.out.printf(Locale.ROOT, "java     %d runs batched, link on: %.4f s/epoch for all = %.4f s per run-epoch (%.2fx of one run alone)%n",
                    batched, b, b / batched, (b / batched) / java[1]);
        }
    }

    static double secondsPerEpoch(boolean link, int runs, int epochs, int warmup) {
        return secondsPerEpoch(link, runs, epochs, warmup, Setup.paper());
    }

    static double secondsPerEpoch(boolean link, int runs, int epochs, int warmup, Setup setup) {
        java.util.ArrayList<Run> rs = new java.util.ArrayList<>();
        for (int r = 0; r < runs; r++) rs.add(Run.of(Optimizer.Rule.ADAM, 5e-4, 1.0, link, r));
        CopyExperiment.train(setup.withEpochs(warmup), rs, new int[0], null);
        long t0 = System.nanoTime();
        CopyExperiment.train(setup.withEpochs(epochs), rs, new int[0], null);
        return (System.nanoTime() - t0) / 1e9 / epochs;
    }

    /** Runs the PyTorch script; returns {off, on} seconds per epoch, or null when it cannot run. */
    static double[] pytorch(int epochs, int warmup) throws Exception {
        Path script = Path.of("reference/egl_bench.py");
        if (!Files.exists(script)) script = Path.of("../reference/egl_bench.py");
        if (!Files.exists(script) || !Files.exists(Path.of("/usr/bin/python3"))) {
            System.out.println("pytorch  skipped: reference/egl_bench.py or /usr/bin/python3 not found");
            return null;
        }
        Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), "--epochs", "" + epochs,
                "--warmup", "" + warmup, "--threads", "2").redirectErrorStream(true).start();
        String json = "";
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) if (line.startsWith("{")) json = line; else System.out.println("  " + line);
        }
        if (p.waitFor() != 0 || json.isEmpty()) {
            System.out.println("pytorch  failed (exit " + p.exitValue() + ")");
            return null;
        }
        String sec = json.substring(json.indexOf("\"sec_per_epoch\""));
        return new double[]{JsonNumber.after(sec, "\"off\""), JsonNumber.after(sec, "\"on\"")};
    }

}
