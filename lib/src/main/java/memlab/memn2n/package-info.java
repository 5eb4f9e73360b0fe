/**
 * The end-to-end memory network (Sukhbaatar et al. 2015), {@link memlab.memn2n.MemN2N}: multi-hop attention
 * over a story's sentences with adjacent weight tying, position and temporal encoding, trained on the
 * bAbI-style stories of {@link memlab.tasks.BabiStories}.
 */
package memlab.memn2n;
