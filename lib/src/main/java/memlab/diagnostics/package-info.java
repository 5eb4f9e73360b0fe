/**
 * Diagnostics of memory use, the same for every memory model of the lab (NTM, the EGL interface,
 * sequence mixers): a model implements {@link memlab.diagnostics.MemoryModel} and
 * {@link memlab.diagnostics.Diagnostics#measure} reports gradient norms per parameter group and
 * their shares, softmax saturation, the loss change when reads are zeroed, attention entropy and
 * slot usage. The measures follow the essay "Why neural networks learn to ignore their own memory":
 * a memory path that receives a small share of the gradient, saturated addressing, a near-zero
 * ablation Δloss and diffuse attention over few slots are the signs of a decorative memory.
 */
package memlab.diagnostics;
