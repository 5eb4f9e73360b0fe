/**
 * The attention-and-memory primer's notebook (05): the pieces that are not a model of their own — the NTM
 * copy run whose weightings are pictured ({@link memlab.primer.NtmCopyWeightings}), the figures
 * ({@link memlab.primer.PrimerFigures}) and the primer's claims tested on our runs ({@link memlab.primer.PrimerClaims}).
 * The models live in {@link memlab.attention}, {@link memlab.ntm}, {@link memlab.dnc} and {@link memlab.memn2n}.
 */
package memlab.primer;
