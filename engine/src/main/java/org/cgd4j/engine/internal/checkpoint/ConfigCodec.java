package org.cgd4j.engine.internal.checkpoint;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cgd4j.engine.CgdConfig;

/**
 * Writes and reads every {@link CgdConfig} component by name, enums by constant name, so that the
 * file keeps its meaning when components or enum constants are reordered. Driven by the record's
 * own components: a component added to CgdConfig is written without changes here, and an old file
 * that lacks it is refused by name.
 */
final class ConfigCodec {
    private ConfigCodec() {}

    private static final RecordComponent[] COMPONENTS = CgdConfig.class.getRecordComponents();

    static void write(CgdConfig config, HeaderWriter out) {
        out.u16(COMPONENTS.length);
        for (RecordComponent c : COMPONENTS) {
            Object value = valueOf(config, c);
            Class<?> type = c.getType();
            out.string(c.getName());
            if (type == double.class) {
                out.u8(CheckpointFormat.TAG_DOUBLE);
                out.i64(Double.doubleToRawLongBits((Double) value));
            } else if (type == int.class) {
                out.u8(CheckpointFormat.TAG_INT);
                out.i32((Integer) value);
            } else if (type == long.class) {
                out.u8(CheckpointFormat.TAG_LONG);
                out.i64((Long) value);
            } else if (type == boolean.class) {
                out.u8(CheckpointFormat.TAG_BOOLEAN);
                out.u8((Boolean) value ? 1 : 0);
            } else if (type.isEnum()) {
                out.u8(CheckpointFormat.TAG_ENUM);
                out.string(((Enum<?>) value).name());
            } else {
                throw new IllegalStateException("CgdConfig component " + c.getName() + " of type " + type.getName()
                        + " has no checkpoint encoding: teach ConfigCodec about it");
            }
        }
    }

    /** Reads the entries and builds the config through its validating constructor. */
    static CgdConfig read(HeaderReader in) throws HeaderReader.MalformedException {
        int n = in.u16();
        Map<String, Object> entries = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String name = in.string();
            byte tag = in.u8();
            Object value = switch (tag) {
                case CheckpointFormat.TAG_DOUBLE -> Double.longBitsToDouble(in.i64());
                case CheckpointFormat.TAG_INT -> in.i32();
                case CheckpointFormat.TAG_LONG -> in.i64();
                case CheckpointFormat.TAG_BOOLEAN -> readBoolean(in, name);
                case CheckpointFormat.TAG_ENUM -> new EnumName(in.string());
                default -> throw new HeaderReader.MalformedException("config entry '" + name + "' has unknown type tag " + tag);
            };
            if (entries.put(name, value) != null) {
                throw new HeaderReader.MalformedException("config entry '" + name + "' appears twice");
            }
        }
        Class<?>[] types = new Class<?>[COMPONENTS.length];
        Object[] args = new Object[COMPONENTS.length];
        for (int i = 0; i < COMPONENTS.length; i++) {
            RecordComponent c = COMPONENTS[i];
            types[i] = c.getType();
            if (!entries.containsKey(c.getName())) {
                throw new HeaderReader.MalformedException("config lacks '" + c.getName()
                        + "' (written by a library with another CgdConfig)");
            }
            args[i] = convert(c, entries.remove(c.getName()));
        }
        if (!entries.isEmpty()) {
            throw new HeaderReader.MalformedException("config has entries this library does not know: "
                    + entries.keySet() + " (written by a newer library?)");
        }
        return construct(types, args);
    }

    private static boolean readBoolean(HeaderReader in, String name) throws HeaderReader.MalformedException {
        int b = in.u8();
        if (b != 0 && b != 1) {
            throw new HeaderReader.MalformedException("config entry '" + name + "' is a boolean stored as " + b);
        }
        return b == 1;
    }

    private static Object convert(RecordComponent c, Object value) throws HeaderReader.MalformedException {
        Class<?> type = c.getType();
        boolean matches = type == double.class ? value instanceof Double
                : type == int.class ? value instanceof Integer
                : type == long.class ? value instanceof Long
                : type == boolean.class ? value instanceof Boolean
                : type.isEnum() && value instanceof EnumName;
        if (!matches) {
            throw new HeaderReader.MalformedException("config entry '" + c.getName() + "' is stored as "
                    + value.getClass().getSimpleName() + ", this library's type is " + type.getSimpleName());
        }
        if (value instanceof EnumName(String name)) {
            for (Object constant : type.getEnumConstants()) {
                if (((Enum<?>) constant).name().equals(name)) {
                    return constant;
                }
            }
            throw new HeaderReader.MalformedException("config entry '" + c.getName() + "' is " + name
                    + ", not a constant of " + type.getSimpleName());
        }
        return value;
    }

    private static CgdConfig construct(Class<?>[] types, Object[] args) throws HeaderReader.MalformedException {
        try {
            Constructor<CgdConfig> canonical = CgdConfig.class.getDeclaredConstructor(types);
            return canonical.newInstance(args);
        } catch (InvocationTargetException e) {
            // The record's own validation refused the values; its message names the field.
            throw new HeaderReader.MalformedException("config refused: " + e.getCause().getMessage(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot call CgdConfig's canonical constructor", e);
        }
    }

    private static Object valueOf(CgdConfig config, RecordComponent c) {
        try {
            return c.getAccessor().invoke(config);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read CgdConfig." + c.getName(), e);
        }
    }

    /** An enum constant's name as read, resolved once the component's type is known. */
    private record EnumName(String name) {}
}
