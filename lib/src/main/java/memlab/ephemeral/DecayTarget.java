package memlab.ephemeral;

/**
 * What the forget rate γ decays (paper §3.4, Eq. 6: "we implement a controlled decay of ephemeral
 * weights: w_k^fast(t+1) = γ · w_k^fast(t+1)").
 *
 * <p>The paper designates "a fraction of the parameters Ephemeral Weights" (§1), each weight having
 * one plasticity α_k (Eq. 5) — not a slow/fast pair per weight as in Hinton &amp; Plaut, which it
 * describes separately (§2.2: "each weight is mirrored by one with a higher learning rate that
 * decays toward zero"). Read literally, Eq. 6 multiplies the whole value of a high-plasticity
 * weight, and "wiping high-plasticity weights" (§4.4.3) sets it to zero: {@link #VALUE}, the
 * default. §3.1 ("parameters that rapidly adjust to recent inputs but gradually return to
 * baseline") also fits a weight that returns to a slowly learnt baseline: {@link #DEVIATION}.
 */
public enum DecayTarget {
    /**
     * Default, Eq. 6 literally: a high-plasticity weight is {@code w = E}; after every update
     * {@code E ← γ E}, so it decays towards 0; a reset sets {@code E = 0}. Its starting value is its
     * initialisation. Its slow learning is lost (the slow copy of a masked position is unused).
     */
    VALUE,
    /**
     * Hinton–Plaut reading: a high-plasticity weight is {@code w = S + E} with a slow baseline
     * {@code S} (learnt at the base rate like every slow weight) and an ephemeral deviation
     * {@code E} that decays, {@code E ← γ E}, towards 0 (so {@code w → S}); a reset sets
     * {@code E = 0}.
     */
    DEVIATION
}
