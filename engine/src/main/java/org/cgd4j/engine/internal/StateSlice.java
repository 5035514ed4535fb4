package org.cgd4j.engine.internal;

import java.lang.foreign.MemorySegment;

/**
 * One named piece of an optimizer's off-heap state (m, s, μ, S, V, ...), copied byte for byte by
 * checkpoints. An optimizer lists its slices in a fixed order.
 */
public record StateSlice(String name, MemorySegment segment) {}
