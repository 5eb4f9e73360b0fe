package memlab.bench;

import ai.djl.engine.Engine;
import memlab.dnc.Dnc;
import memlab.dnc.DncConfig;
import memlab.ntm.Controller;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Benchmark of the attention-and-memory primer's models (a main, not a unit test): one training step
 * in memlab vs the same maths in eager PyTorch, as ratios.
 *
 * <p>Section {@code dnc}: seconds per training step of one DNC copy run (LSTM controller 64, memory
 * 32 × 16, one read and one write head; copy sequences of fixed length L, T = 2L + 1; cost in bits;
 * Adam 1e-4 with clipping at 10), at batch 1 and 16, in memlab and in eager PyTorch
 * ({@code reference/dnc_bench.py}, the same operations, run by {@code /usr/bin/python3} as a server so
 * the two sides alternate). Each repeat times a chunk of steps on each side, both models kept warm;
 * printed: per-side medians and the median and range of the per-repeat ratio memlab / PyTorch (below 1:
 * memlab faster). Both sides use the same number of intra-op threads. A last line times the same
 * operations at tiny sizes: the share of a step that is per-operation overhead rather than arithmetic.
 *
 * <pre>  java -cp memlab.jar memlab.bench.PrimerBench [section=dnc] [repeats=5] [threads=1] [length=10] [python=/usr/bin/python3]</pre>
 */
public final class PrimerBench {
    private PrimerBench() {}

    /** The benchmark's DNC: copy of 8-bit vectors, LSTM 64, memory 32 × 16, one read head. */
    static final DncConfig DNC = new DncConfig(9, 8, Controller.LSTM, 64, 32, 16, 1);

    /** The Java side: one DNC copy run (seed 0). */
    static CopyStepTimer dnc(DncConfig config, int batch, int length) {
        return new CopyStepTimer(config.output(), batch, length, p -> {
            Dnc model = new Dnc(p, config, new long[]{0});
            return x -> model.forward(x).logits();
        });
    }

    public static void main(String[] args) throws Exception {
        String section = args.length > 0 ? args[0] : "dnc";
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        int length = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        String python = args.length > 4 ? args[4] : "/usr/bin/python3";
        if (!section.equals("dnc") && !section.equals("all"))
            throw new IllegalArgumentException("section must be one of [dnc, all], got '" + section + "'");
        memlab.core.Check.positive("repeats", repeats);
        memlab.core.Check.positive("threads", threads);
        memlab.core.Check.positive("length", length);
        Engine.getInstance();
        ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
        dnc(repeats, threads, length, python);
    }

    static void dnc(int repeats, int threads, int length, String python) throws Exception {
        int[] batches = {1, 16};
        int[] chunk = {3, 2};
        System.out.printf(Locale.ROOT, "DNC copy step: LSTM 64, memory 32 x 16, 1 read head, L = %d (T = %d), %d intra-op thread(s), %d interleaved repeats%n",
                length, 2 * length + 1, threads, repeats);
        Path script = Path.of("reference/dnc_bench.py");
        if (!Files.exists(script)) script = Path.of("../reference/dnc_bench.py");
        Process py = null;
        BufferedReader pin = null;
        PrintWriter pout = null;
        if (Files.exists(script) && Files.exists(Path.of(python))) {
            py = new ProcessBuilder(python, script.toString(), "--threads", "" + threads, "--length", "" + length, "--warmup", "2")
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            pin = new BufferedReader(new InputStreamReader(py.getInputStream(), StandardCharsets.UTF_8));
            pout = new PrintWriter(py.getOutputStream(), true, StandardCharsets.UTF_8);
            System.out.println("    PyTorch: " + pin.readLine());
        } else System.out.println("    (no " + python + " or reference/dnc_bench.py: PyTorch side skipped)");
        CopyStepTimer[] sides = new CopyStepTimer[batches.length];
        try {
            for (int i = 0; i < batches.length; i++) {
                sides[i] = dnc(DNC, batches[i], length);
                sides[i].secondsPerStep(2);                                  // warm-up (JIT, allocator)
            }
            double[][] java = new double[batches.length][repeats], torch = new double[batches.length][repeats];
            for (int rep = 0; rep < repeats; rep++)
                for (int i = 0; i < batches.length; i++) {
                    java[i][rep] = sides[i].secondsPerStep(chunk[i]);
                    if (py != null) {
                        pout.println(batches[i] + " " + chunk[i]);
                        torch[i][rep] = JsonNumber.after(pin.readLine(), "\"sec_per_step\"");
                    }
                }
            for (int i = 0; i < batches.length; i++) {
                System.out.printf(Locale.ROOT, "    batch %2d: memlab %.3f s/step (median; range %.3f-%.3f)", batches[i],
                        NtmBench.median(java[i]), NtmBench.min(java[i]), NtmBench.max(java[i]));
                if (py != null) {
                    double[] ratio = new double[repeats];
                    for (int r = 0; r < repeats; r++) ratio[r] = java[i][r] / torch[i][r];
                    System.out.printf(Locale.ROOT, ", PyTorch %.3f s/step (range %.3f-%.3f); memlab/PyTorch median %.2f, range %.2f-%.2f",
                            NtmBench.median(torch[i]), NtmBench.min(torch[i]), NtmBench.max(torch[i]),
                            NtmBench.median(ratio), NtmBench.min(ratio), NtmBench.max(ratio));
                }
                System.out.println();
            }
            // profile: the same graph (same T, same operations) at tiny sizes costs only the per-operation
            // overhead (dispatch, JNI, autograd bookkeeping); the rest of a step is arithmetic
            try (CopyStepTimer tiny = dnc(new DncConfig(2, 1, Controller.LSTM, 2, 3, 2, 1), 1, length)) {
                tiny.secondsPerStep(2);
                double floor = tiny.secondsPerStep(3 * repeats), one = NtmBench.median(java[0]);
                System.out.printf(Locale.ROOT, "    profile: the same operations at tiny sizes take %.3f s/step = %.0f%% of the batch-1 step (per-operation overhead); arithmetic %.0f%%%n",
                        floor, 100 * floor / one, 100 * (1 - floor / one));
            }
        } finally {
            for (CopyStepTimer s : sides) if (s != null) s.close();
            if (py != null) {
                pout.close();
                py.waitFor();
            }
        }
    }
}
