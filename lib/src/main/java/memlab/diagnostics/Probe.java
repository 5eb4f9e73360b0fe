package memlab.diagnostics;

import ai.djl.ndarray.NDArray;

import java.util.Map;

/**
 * One forward pass of a {@link MemoryModel} on its diagnostic batch.
 *
 * @param loss      per-run loss {@code (R)}
 * @param attention addressing weightings by name (e.g. {@code read}, {@code write}), each
 *                  {@code (R, ..., S)}: every row over the S slots sums to 1
 */
public record Probe(NDArray loss, Map<String, NDArray> attention) {}
