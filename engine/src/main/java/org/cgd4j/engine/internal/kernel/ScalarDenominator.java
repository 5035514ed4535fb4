package org.cgd4j.engine.internal.kernel;

/**
 * The denominator (ε + max(X̂, 0))^a + ε' of SPEC step 4 for the scalar loops (generated, see
 * tools/kernelgen), in double and in float; {@link PanamaDenominator} is its lane-wise twin.
 */
public final class ScalarDenominator {
    private ScalarDenominator() {
    }

    /** (ε + max(x, 0))^a + ε': the denominator of f in SPEC step 4. */
    public static double denominator(StepCoefficients c, double x) {
        double base = c.epsilon + Math.max(x, 0);
        return switch (c.powerKind) {
            case StepCoefficients.POWER_SQRT -> Math.sqrt(base) + c.epsilonOutside;
            case StepCoefficients.POWER_ONE -> base + c.epsilonOutside;
            case StepCoefficients.POWER_ZERO -> 1 + c.epsilonOutside;
            default -> Power.pow(base, c.power) + c.epsilonOutside;
        };
    }

    /** The float denominator: sqrt evaluated in double and rounded once (so exactly), the general power in float. */
    public static float denominator(StepCoefficients c, float x) {
        float base = c.epsilonF + Math.max(x, 0f);
        return switch (c.powerKind) {
            case StepCoefficients.POWER_SQRT -> (float) Math.sqrt(base) + c.epsilonOutsideF;
            case StepCoefficients.POWER_ONE -> base + c.epsilonOutsideF;
            case StepCoefficients.POWER_ZERO -> 1f + c.epsilonOutsideF;
            default -> Power.pow(base, c.powerF) + c.epsilonOutsideF;
        };
    }
}
