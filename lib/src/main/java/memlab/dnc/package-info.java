/**
 * The Differentiable Neural Computer (Graves et al. 2016, "Hybrid computing using a neural network
 * with dynamic external memory"), built on the pieces it shares with the NTM: the controller
 * ({@link memlab.ntm.Controller}), cosine content addressing ({@link memlab.memory.Addressing#cosine})
 * and the erase-then-add write ({@link memlab.memory.Memory#writeOne}).
 *
 * <p>One class per mechanism, each with the paper's equation: {@link memlab.dnc.Usage} (retention by
 * free gates), {@link memlab.dnc.Allocation} (sorted usage), {@link memlab.dnc.WriteWeighting}
 * (allocation vs content), {@link memlab.dnc.Precedence} and {@link memlab.dnc.LinkMatrix} (temporal
 * links, forward and backward weightings), {@link memlab.dnc.ReadModes} (backward, content, forward);
 * {@link memlab.dnc.Interface} splits the controller's interface vector; {@link memlab.dnc.Dnc} runs
 * them over a sequence for many runs at once; {@link memlab.dnc.DncTraining} trains on copy or
 * repeat-copy ({@link memlab.dnc.DncTask}) and keeps a {@link memlab.dnc.Snapshot} for the figures.
 *
 * <p>As the paper writes it, not as DeepMind's release: one write head, no ε added to the usage before
 * the allocation's product, and the gradient flows through every term of the usage (the release stops
 * it at the write weights); only the sort's order is held fixed.
 */
package memlab.dnc;
