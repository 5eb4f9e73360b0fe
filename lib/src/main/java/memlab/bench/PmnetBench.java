package memlab.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import memlab.pmnet.Ablation;
import memlab.pmnet.CopyPasteTraining;
import memlab.pmnet.PhasorMemory;
import memlab.pmnet.PhasorNet;
import memlab.tasks.CopyPaste;
import memlab.train.Optimizer;

import java.util.List;
import java.util.Locale;

/**
 * Benchmark of PMNet (a main, not a unit test): seconds per training step of the copy-paste model of
 * notebook 03 (paper mode: width 32, 2 sliding-window blocks of window 4, a phasor memory after the
 * first, tree of 2 levels × groups of 4 slots × 8 channels; span 2, gap 16, T = 22; Adam), one run,
 * in memlab and in eager PyTorch ({@code reference/pmnet_bench.py}, the same operations, run by
 * {@code /usr/bin/python3} as a server so that the two sides alternate). Each repeat times a chunk
 * of steps on each side, both models kept warm; printed as {@link SideBySide} does (wall and CPU time),
 * then a profile: the same
 * operations at tiny sizes (width 4, one channel, batch 1) cost only the per-operation overhead.
 *
 * <pre>  java -cp memlab.jar memlab.bench.PmnetBench [repeats=5] [threads=2] [batch=32] [chunk=3] [python=/usr/bin/python3]</pre>
 */
public final class PmnetBench {
    private PmnetBench() {}

    /** One warm PMNet copy-paste training loop (seed 0). */
    static final class Side implements SideBySide.Side {
        private final NDManager base = NDManager.newBaseManager();
        private final PhasorNet net;
        private final Optimizer opt = Optimizer.adam(3e-3);
        private final CopyPaste task;
        private final int batch;
        private int step;

        Side(PhasorNet.Config config, CopyPaste task, int batch) {
            this.net = new PhasorNet(base, config, new long[]{0});
            this.task = task;
            this.batch = batch;
        }

        double secondsPerStep(int steps) {
            long t0 = System.nanoTime();
            for (int s = 0; s < steps; s++) CopyPasteTraining.step(net, opt, task, batch, new long[]{0}, step++);
            return (System.nanoTime() - t0) / 1e9 / steps;
        }

        @Override
        public void steps(int n) { secondsPerStep(n); }

        long parameters() { return net.params().sizePerRun(); }

        @Override
        public void close() {
            opt.close();
            net.close();
            base.close();
        }
    }

    static PhasorNet.Config model(int width, int channels, int keyDim, int length) {
        return new PhasorNet.Config(CopyPaste.VOCAB, width, 2, 2, 4, length, 1, new PhasorMemory.Config(channels, keyDim, 2, 4, 1, true, Ablation.NONE));
    }

    public static void main(String[] args) throws Exception {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        int chunk = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        String python = args.length > 4 ? args[4] : "/usr/bin/python3";
        int span = 2, gap = 16, length = CopyPaste.minLength(span, gap);
        Engine.getInstance();
        ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
        CopyPaste task = new CopyPaste(span, gap, length, 16);
        TorchServer py = TorchServer.start(python, "pmnet_bench.py", List.of("--threads", "" + threads, "--span", "" + span, "--gap", "" + gap, "--warmup", "2"));
        try (Side probe = new Side(model(32, 8, 8, length), task, batch)) {
            System.out.printf(Locale.ROOT, "PMNet copy-paste step: width 32, 2 blocks of window 4, memory 2 levels x 4 slots x 8 channels (%d parameters), span %d, gap %d, T = %d, batch %d, %d intra-op thread(s), %d interleaved repeats of %d steps%n",
                    probe.parameters(), span, gap, length, batch, threads, repeats, chunk);
        }
        try {
            if (py != null) System.out.println("    PyTorch: " + py.ready());
            double[] java = SideBySide.compare(new int[]{batch}, new int[]{chunk}, repeats, b -> new Side(model(32, 8, 8, length), task, b), py);
            // profile: the same graph (same T, levels, blocks) at tiny sizes costs only the per-operation overhead
            try (Side tiny = new Side(model(4, 1, 1, length), task, 1)) {
                tiny.secondsPerStep(5);          // the JIT is warm from the comparison above; trained for seconds, the tiny model slows down (182 % of the full step)
                double floor = tiny.secondsPerStep(chunk * repeats), full = SideBySide.median(java);
                System.out.printf(Locale.ROOT, "    profile: the same operations at tiny sizes (width 4, 1 channel, batch 1) take %.3f s/step = %.0f%% of the step (per-operation overhead of the position-by-position memory); arithmetic %.0f%%%n",
                        floor, 100 * floor / full, 100 * Math.max(0, 1 - floor / full));
            }
        } finally {
            if (py != null) py.close();
        }
    }
}
