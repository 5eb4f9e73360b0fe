package memlab.ephemeral;

import memlab.core.Check;
import memlab.core.Seeds;

import java.util.SplittableRandom;

/**
 * Which hidden-layer weights are ephemeral (paper §3.3: "We randomly designate approximately 10% of
 * the total parameters as ephemeral weights, excluding the final output layer").
 *
 * <p>Each entry is ephemeral independently with probability {@code fraction}, drawn from the
 * run's stream {@code (seed, "plasticity/" + layer)}: {@code M_k = 1} gives {@code α_k = α},
 * {@code M_k = 0} gives {@code α_k = 1}.
 */
public final class PlasticityMask {
    private PlasticityMask() {}

    /**
     * A 0/1 mask of {@code size} entries.
     *
     * @param layer    name of the weight matrix, e.g. {@code "input"} (input weights and bias) or {@code "recurrent"}
     * @param fraction probability of an entry being ephemeral, in [0, 1]
     */
    public static float[] draw(long seed, String layer, int size, double fraction) {
        Check.inRange("fraction", fraction, 0, 1);
        SplittableRandom rng = Seeds.stream(seed, "plasticity/" + layer);
        float[] m = new float[Check.positive("size", size)];
        for (int i = 0; i < size; i++) m[i] = rng.nextDouble() < fraction ? 1f : 0f;
        return m;
    }
}
