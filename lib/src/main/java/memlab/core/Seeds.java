package memlab.core;

import ai.djl.engine.Engine;

import java.util.SplittableRandom;

/**
 * One seed drives everything random in a run.
 *
 * <p>Task generators, weight initialisation and per-batch memory all draw from Java
 * {@link SplittableRandom} streams derived from the run's seed and a stream name, so the numbers do
 * not depend on the engine, the device or on how many runs share one batched model. No model of
 * the library samples on the engine side; {@link #seedEngine} is for notebook code that does (e.g.
 * {@code NDManager.randomNormal} in a demonstration).
 */
public final class Seeds {
    static { Telemetry.optOut(); }  // before the engine starts: DJL reads it then

    private Seeds() {}

    /** Seeds the engine's random number generator. */
    public static void seedEngine(long seed) {
        Engine.getInstance().setRandomSeed((int) (seed ^ (seed >>> 32)));
    }

    /**
     * An independent random stream for {@code (seed, stream)}; the same pair always gives the same
     * numbers.
     *
     * @param seed   the run's seed
     * @param stream what the stream is for, e.g. {@code "init"} or {@code "data"}
     */
    public static SplittableRandom stream(long seed, String stream) {
        return new SplittableRandom(mix(seed, stream.hashCode()));
    }

    /** As {@link #stream(long, String)} for a numbered sub-stream, e.g. the batch of epoch {@code index}. */
    public static SplittableRandom stream(long seed, String stream, long index) {
        return new SplittableRandom(mix(mix(seed, stream.hashCode()), index));
    }

    /** Fills {@code out} with N(0, 1) draws. */
    public static float[] normal(SplittableRandom rng, float[] out) {
        for (int i = 0; i < out.length; i++) out[i] = (float) gaussian(rng);
        return out;
    }

    /** Fills {@code out} with U(-bound, bound) draws. */
    public static float[] uniform(SplittableRandom rng, float[] out, double bound) {
        for (int i = 0; i < out.length; i++) out[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
        return out;
    }

    /** Standard normal by Box–Muller; deterministic for a given stream. */
    public static double gaussian(SplittableRandom rng) {
        double u1 = rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }

    private static long mix(long a, long b) {
        long z = a * 0x9E3779B97F4A7C15L + b;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
