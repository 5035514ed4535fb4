package org.cgd4j.experiments.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.cgd4j.engine.CgdConfig;
import org.junit.jupiter.api.Test;

class OptimizerKindTest {

    @Test
    void eachSuiteHasItsOwnDefaultOptimizers() {
        assertThat(OptimizerKind.defaultsFor(Suite.PAPER)).containsExactly(OptimizerKind.SGD, OptimizerKind.MOMENTUM,
                OptimizerKind.RMSPROP, OptimizerKind.ADAM, OptimizerKind.ADABELIEF, OptimizerKind.DIAGONAL_CGD,
                OptimizerKind.FULL_CGD, OptimizerKind.KRONECKER_CGD);
        assertThat(OptimizerKind.defaultsFor(Suite.REAL_DATA))
                .startsWith(OptimizerKind.ADAM, OptimizerKind.DIAGONAL_CGD, OptimizerKind.ADAMW)
                .doesNotContain(OptimizerKind.FULL_CGD);
    }

    @Test
    void adamWIsPyTorchsAdamW() {
        assertThat(OptimizerKind.ADAMW.config(OptimizerKind.ADAMW.defaults(), 10))
                .isEqualTo(CgdConfig.adamW(1e-3, 0.9, 0.999, 1e-8, 0.01));
        assertThat(OptimizerKind.byId("adamw")).isEqualTo(OptimizerKind.ADAMW);
    }

    /** The one-line CGD-family form: diagonal CGD's space, its config through the variant. */
    @Test
    void diagonalCgdIsTheCgdFamilyForm() {
        Map<String, Double> h = Map.of("lr", 0.01, "tau1", 3.0, "tau2", 50.0, "power", 0.7, "epsilon", 1e-6);
        assertThat(OptimizerKind.DIAGONAL_CGD.config(h, 10)).isEqualTo(CgdConfig.diagonalCgd(0.01, 3, 50, 0.7, 1e-6));
        assertThat(OptimizerKind.DIAGONAL_CGD.space().stream().map(ParamRange::name))
                .containsExactly("lr", "tau1", "tau2", "power", "epsilon");
        assertThatThrownBy(() -> OptimizerKind.DIAGONAL_CGD.config(Map.of("lr", 0.01), 10))
                .hasMessageContaining("diagonal-cgd: hyperparameter 'tau1' is missing");
    }
}
