package org.cgd4j.engine.internal;

/**
 * Element type of an optimizer's DIAGONAL state, fixed by its first step: double[] and segment steps
 * keep double state, float[] steps float state (float arithmetic, as PyTorch's fp32 optimizers).
 */
public enum Precision { DOUBLE, FLOAT }
