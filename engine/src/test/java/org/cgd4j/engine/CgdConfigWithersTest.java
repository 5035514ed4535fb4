package org.cgd4j.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every {@code withX} changes X and nothing else, and every component has its wither. */
class CgdConfigWithersTest {

    /** A value of the component's type that differs from {@code current} and passes validation. */
    private static Object another(RecordComponent c, Object current) {
        Class<?> type = c.getType();
        if (type == double.class) {
            return c.getName().equals("learningRate") || c.getName().startsWith("tau") || c.getName().startsWith("epsilon")
                    ? (Double) current + 0.25 : (Double) current == 0 ? 0.125 : (Double) current * 0.5;
        }
        if (type == int.class) {
            return (Integer) current + 3;
        }
        if (type == long.class) {
            return (Long) current - 1;
        }
        if (type == boolean.class) {
            return !(Boolean) current;
        }
        Object[] constants = type.getEnumConstants();
        for (Object k : constants) {
            if (k != current) {
                return k;
            }
        }
        throw new AssertionError("no other value for " + c.getName());
    }

    @Test
    void eachWitherChangesOnlyItsComponent() throws Exception {
        CgdConfig base = CgdConfig.adam(1e-3, 0.9, 0.999, 1e-8);
        RecordComponent[] components = CgdConfig.class.getRecordComponents();
        List<String> checked = new ArrayList<>();
        for (RecordComponent c : components) {
            String name = "with" + Character.toUpperCase(c.getName().charAt(0)) + c.getName().substring(1);
            Method wither = CgdConfig.class.getMethod(name, c.getType());
            Object value = another(c, c.getAccessor().invoke(base));
            CgdConfig changed = (CgdConfig) wither.invoke(base, value);
            for (RecordComponent other : components) {
                Object before = other.getAccessor().invoke(base);
                Object after = other.getAccessor().invoke(changed);
                if (other.equals(c)) {
                    assertThat(after).as("%s sets %s", name, c.getName()).isEqualTo(value);
                } else {
                    assertThat(after).as("%s must not change %s", name, other.getName()).isEqualTo(before);
                }
            }
            checked.add(c.getName());
        }
        assertThat(checked).hasSize(components.length);
    }

    @Test
    void adamWIsAdamWithDecoupledDecay() {
        CgdConfig w = CgdConfig.adamW(1e-3, 0.9, 0.999, 1e-8, 0.01);
        assertThat(w).isEqualTo(CgdConfig.adam(1e-3, 0.9, 0.999, 1e-8).withWeightDecay(0.01));
        assertThat(w.l2()).isZero();
    }
}
