/**
 * Phasor Memory Networks (PMNet, "Phasor Memory Networks: Stable Backpropagation Through Time for
 * Scalable Explicit Memory", 2026) at a CPU scale: {@link memlab.pmnet.PhasorMemory} (a phase per slot
 * and channel in an {@link memlab.pmnet.AnchorTree}, written by rotation, read by cosine attention),
 * hosted between the sliding-window blocks of {@link memlab.mixers.SequenceModel} by
 * {@link memlab.pmnet.PhasorNet}; the paper's {@link memlab.pmnet.Ablation} switches; the recurrent
 * baseline {@link memlab.pmnet.LstmBaseline}; training and the experiment unit on
 * {@link memlab.tasks.CopyPaste} (any {@link memlab.pmnet.ByteModel}); the gradient with respect to
 * each step's memory state ({@link memlab.pmnet.StateGradients}); a byte language model evaluated
 * beyond its training length ({@link memlab.pmnet.ByteLm}); and notebook 03's claims and figures
 * ({@link memlab.pmnet.PhasorClaims}, {@link memlab.pmnet.PhasorFigures}).
 */
package memlab.pmnet;
