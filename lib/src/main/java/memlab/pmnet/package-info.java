/**
 * Phasor Memory Networks (PMNet, "Phasor Memory Networks: Stable Backpropagation Through Time for
 * Scalable Explicit Memory", 2026) at a CPU scale: {@link memlab.pmnet.PhasorMemory} (a phase per slot
 * and channel in an {@link memlab.pmnet.AnchorTree}, written by rotation, read by cosine attention),
 * hosted between the sliding-window blocks of {@link memlab.mixers.SequenceModel} by
 * {@link memlab.pmnet.PhasorNet}; the paper's {@link memlab.pmnet.Ablation} switches; training and the
 * experiment unit on {@link memlab.tasks.CopyPaste}.
 */
package memlab.pmnet;
