package org.cgd4j.engine.internal.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector species of the diagonal kernels (the generated Panama*Loops, {@link PanamaDenominator},
 * {@link PanamaPower}), in one place, so that every loop and helper of a precision agrees on the lanes
 * (a general power's blocks, for one, must be a multiple of both the loop's and PanamaPower's lanes).
 * <ul>
 *   <li>{@link #DOUBLE}: the preferred species.</li>
 *   <li>{@link #FLOAT}: the preferred species, or a narrower one named by the system property
 *       {@code cgd4j.floatVectorBits} (128 or 256; read once, when the kernels load): a diagnostic
 *       knob for measuring the width; a width the machine lacks, or a wider one, leaves the preferred.</li>
 * </ul>
 * Why not 256-bit floats on AVX-512: split cache lines (a heap float[] below the humongous size starts
 * at any 8-byte phase, so every misaligned 512-bit access splits one) suggested it, but on AMD EPYC
 * (Zen 4) the Adam f32 kernel pass measured slower at 256 bits: 0.31–0.42 µs against 0.22–0.23 µs at
 * d = 1e3, 36–42 µs against 25–27 µs at d = 1e5 (issue 17's notes). gcc -O3 -march=native also
 * picks 512 bits for the C reference there. The width never changes a result: every loop is lane-wise,
 * with its scalar twin's operations.
 */
public final class KernelSpecies {
    public static final VectorSpecies<Double> DOUBLE = DoubleVector.SPECIES_PREFERRED;

    public static final VectorSpecies<Float> FLOAT = floatSpecies(Integer.getInteger("cgd4j.floatVectorBits", 0));

    private KernelSpecies() {
    }

    /** The float species of {@code bits} (128 or 256) when narrower than the preferred one; else the preferred. */
    static VectorSpecies<Float> floatSpecies(int bits) {
        VectorSpecies<Float> preferred = FloatVector.SPECIES_PREFERRED;
        if ((bits != 128 && bits != 256) || bits >= preferred.vectorBitSize()) {
            return preferred;
        }
        return VectorSpecies.of(float.class, VectorShape.forBitSize(bits));
    }
}
