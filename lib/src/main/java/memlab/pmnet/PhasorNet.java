package memlab.pmnet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import memlab.core.Check;
import memlab.mixers.MixerSpec;
import memlab.mixers.SequenceModel;
import memlab.train.ParamSet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * PMNet at a small scale: a byte-level transformer whose every block is sliding-window attention
 * ({@link SequenceModel} with {@link MixerSpec#slidingWindow}), with a {@link PhasorMemory} layer
 * after every {@code k}-th block, its read added to the residual stream:
 * <pre>
 *   blocks 0 … n−1 of  x ← x + SWA(LN x);  x ← x + MLP(LN x)
 *   after block l = k−1, 2k−1, … (l ≤ n − 2):  x ← x + PhasorMemory_l(x)
 * </pre>
 * Each memory layer has its own state and anchors. No memory ({@code memory = null}) is the same
 * transformer with the sliding window only, the paper's baseline. All parameters have the leading run
 * dimension, so {@code R} seeds train as one model.
 */
public final class PhasorNet implements ByteModel {
    /**
     * @param vocab        vocabulary size (258 for {@link memlab.tasks.CopyPaste}: bytes and two markers)
     * @param width        model width D
     * @param blocks       transformer blocks n
     * @param heads        attention heads per block
     * @param window       sliding window w of every block, {@code >= 1}
     * @param maxLength    longest sequence (positions with a learnt embedding)
     * @param memoryEvery  k: a memory layer after every k-th block, never after the last (its read
     *                     should pass at least one block before the output); default 2, the paper's
     *                     "every few layers" at a depth of a few blocks: the first write sees tokens
     *                     already mixed by two windows, and two blocks read what it returns
     * @param memory       the memory's settings, {@code null} for the sliding-window transformer alone
     */
    public record Config(int vocab, int width, int blocks, int heads, int window, int maxLength, int memoryEvery, PhasorMemory.Config memory)
            implements ByteModel.Spec {
        public Config {
            Check.positive("vocab", vocab);
            Check.positive("width", width);
            Check.positive("blocks", blocks);
            Check.positive("heads", heads);
            Check.positive("window", window);
            Check.positive("maxLength", maxLength);
            Check.positive("memoryEvery", memoryEvery);
            if (memory != null && memoryEvery > blocks - 1)
                throw new IllegalArgumentException("memoryEvery must be <= blocks − 1 = " + (blocks - 1)
                        + " so that one memory layer fits before the last block, got memoryEvery " + memoryEvery + " with " + blocks + " blocks");
        }

        /** The blocks after which a memory layer sits: {@code k−1, 2k−1, … ≤ n−2}; none without memory. */
        public List<Integer> memoryAfter() {
            if (memory == null) return List.of();
            List<Integer> at = new ArrayList<>();
            for (int l = memoryEvery - 1; l <= blocks - 2; l += memoryEvery) at.add(l);
            return Collections.unmodifiableList(at);
        }

        @Override
        public ByteModel create(NDManager parent, long[] seeds) { return new PhasorNet(parent, this, seeds); }

        /** "PMNet", "PMNet, flat" (an ablation), or "sliding window" (no memory). */
        @Override
        public String label() {
            if (memory == null) return "sliding window";
            return memory.ablation() == Ablation.NONE ? "PMNet" : "PMNet, " + memory.ablation().label();
        }

        /** The same model without memory: the sliding-window transformer. */
        public Config withoutMemory() {
            return new Config(vocab, width, blocks, heads, window, maxLength, memoryEvery, null);
        }

        /** The same model with the memory's ablation switch {@code a}. */
        public Config with(Ablation a) {
            Check.notNull("memory (a model without memory has no ablation)", memory);
            return new Config(vocab, width, blocks, heads, window, maxLength, memoryEvery, memory.with(a));
        }
    }

    private final Config config;
    private final SequenceModel model;
    private final List<PhasorMemory> memories = new ArrayList<>();

    /** @param seeds one seed per run */
    public PhasorNet(NDManager parent, Config config, long[] seeds) {
        this.config = Check.notNull("config", config);
        List<MixerSpec> layers = Collections.nCopies(config.blocks(), MixerSpec.slidingWindow(config.heads(), config.window()));
        model = new SequenceModel(parent, SequenceModel.Config.of(config.vocab(), config.width(), config.maxLength(), layers), seeds);
        for (int l : config.memoryAfter()) {
            PhasorMemory mem = new PhasorMemory(model.params(), "memory" + l, config.width(), config.memory(), seeds);
            model.insertAfter(l, mem);
            memories.add(mem);
        }
    }

    /** Logits {@code (R, B, T, V)} for tokens {@code (R, B, T)}. */
    @Override
    public NDArray logits(NDArray tokens) {
        return model.logits(tokens);
    }

    /** Cross-entropy and accuracy at the answer positions, per run (see {@link SequenceModel#loss}). */
    public SequenceModel.Result loss(NDArray tokens, NDArray targets, NDArray answers) {
        return model.loss(tokens, targets, answers);
    }

    /** The memory layers, first to last. */
    public List<PhasorMemory> memories() { return List.copyOf(memories); }

    /** The transformer that hosts the memory. */
    public SequenceModel model() { return model; }

    @Override
    public ParamSet params() { return model.params(); }

    @Override
    public String label() { return config.label(); }

    public Config config() { return config; }

    @Override
    public void close() {
        model.close();
    }
}
