package memlab.egl;

import ai.djl.ndarray.NDArray;

/**
 * The explicit gradient link of Masuda (2025), as a term that is zero in the forward pass.
 *
 * <p>The paper stores {@code G_t = ∂L/∂o_t} (the gradient of read output {@code o_t}) and adds it,
 * broadcast over the S slots, to the gradient of the memory {@code M_t} produced by write {@code t}:
 * <pre>  ∇_{M_t} L_total = ∇_{M_t} L_standard + 1_S ⊗ G_t</pre>
 * DJL has no custom autograd functions, so we add to each read output the term
 * <pre>  ℓ_t = Σ_j ( M_t[j] − stop_grad(M_t[j]) )        (= 0 in the forward pass)</pre>
 * giving {@code o'_t = o_t + ℓ_t}. Forward, {@code ℓ_t} is exactly zero ({@code a − a = 0} in
 * floating point), so outputs and loss are bit-for-bit those without the link. Backward,
 * {@code ∂o'_t/∂M_t[j] = I} for every slot j, so the gradient arriving at {@code o'_t}, which is
 * {@code G_t}, is added to {@code ∂L/∂M_t[j]} for all j — before the backward of write t, from where
 * it flows on to {@code v_t}, {@code w_t} and through {@code (1 − w_t)} to earlier memory. That is
 * the paper's rule, obtained in one ordinary backward pass. A per-run mask in {0, 1} switches the
 * link per run (0 routes nothing).
 */
public final class GradientLink {
    private GradientLink() {}

    /**
     * The link term of one write: {@code Σ_j (M_t[j] − stop_grad(M_t[j]))}.
     *
     * @param written memory after write t, shape {@code (N, S, D)}
     * @return shape {@code (N, D)}, all zeros in value
     */
    public static NDArray term(NDArray written) {
        NDArray s = written.sum(new int[]{1});
        return s.sub(s.stopGradient());
    }
}
