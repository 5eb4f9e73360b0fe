/**
 * Attention in an encoder–decoder, the primer's first idea: {@link memlab.attention.Seq2Seq} with the
 * fixed-vector baseline, soft (additive) attention and hard attention trained by
 * {@link memlab.attention.Reinforce}, on {@link memlab.tasks.SequenceReversal}.
 */
package memlab.attention;
