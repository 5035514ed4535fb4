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
 * own components: a component added to CgdConfig is written without changes here. An old file that
 * lacks a component takes its value from {@link CgdConfig#DEFAULTS} (components added after format
 * 1, each neutral) or is refused by name (the components format 1 always wrote).
 */
final class ConfigCodec {
    private ConfigCodec() {}

    static void write(CgdConfig config, HeaderWriter out) {
        writeRecord(config, out);
    }

    /** Reads the entries and builds the config through its validating constructor. */
    static CgdConfig read(HeaderReader in) throws HeaderReader.MalformedException {
        return readRecord(CgdConfig.class, "config", CgdConfig.DEFAULTS, in);
    }

    /** Writes any record whose components are double, int, long, boolean or enums, by component name. */
    static void writeRecord(Record record, HeaderWriter out) {
        RecordComponent[] components = record.getClass().getRecordComponents();
        out.u16(components.length);
        for (RecordComponent c : components) {
            Object value = valueOf(record, c);
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
                throw new IllegalStateException(record.getClass().getSimpleName() + " component " + c.getName() + " of type "
                        + type.getName() + " has no checkpoint encoding: teach ConfigCodec about it");
            }
        }
    }

    /**
     * Reads a record written by {@link #writeRecord} and builds it through its validating canonical
     * constructor; a component the file lacks takes its value from {@code defaults} or is refused.
     * {@code what} names the record in messages ("config").
     */
    static <R extends Record> R readRecord(Class<R> type, String what, java.util.Map<String, Object> defaults, HeaderReader in)
            throws HeaderReader.MalformedException {
        RecordComponent[] components = type.getRecordComponents();
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
                default -> throw new HeaderReader.MalformedException(what + " entry '" + name + "' has unknown type tag " + tag);
            };
            if (entries.put(name, value) != null) {
                throw new HeaderReader.MalformedException(what + " entry '" + name + "' appears twice");
            }
        }
        Class<?>[] types = new Class<?>[components.length];
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            types[i] = c.getType();
            if (!entries.containsKey(c.getName())) {
                // Components added after format 1 take their neutral defaults; the others are required.
                Object fallback = defaults.get(c.getName());
                if (fallback == null) {
                    throw new HeaderReader.MalformedException(what + " lacks '" + c.getName()
                            + "' (written by a library with another " + type.getSimpleName() + ")");
                }
                args[i] = fallback;
                continue;
            }
            args[i] = convert(what, c, entries.remove(c.getName()));
        }
        if (!entries.isEmpty()) {
            throw new HeaderReader.MalformedException(what + " has entries this library does not know: "
                    + entries.keySet() + " (written by a newer library?)");
        }
        return construct(type, what, types, args);
    }

    private static boolean readBoolean(HeaderReader in, String name) throws HeaderReader.MalformedException {
        int b = in.u8();
        if (b != 0 && b != 1) {
            throw new HeaderReader.MalformedException("config entry '" + name + "' is a boolean stored as " + b);
        }
        return b == 1;
    }

    private static Object convert(String what, RecordComponent c, Object value) throws HeaderReader.MalformedException {
        Class<?> type = c.getType();
        boolean matches = type == double.class ? value instanceof Double
                : type == int.class ? value instanceof Integer
                : type == long.class ? value instanceof Long
                : type == boolean.class ? value instanceof Boolean
                : type.isEnum() && value instanceof EnumName;
        if (!matches) {
            throw new HeaderReader.MalformedException(what + " entry '" + c.getName() + "' is stored as "
                    + value.getClass().getSimpleName() + ", this library's type is " + type.getSimpleName());
        }
        if (value instanceof EnumName(String name)) {
            for (Object constant : type.getEnumConstants()) {
                if (((Enum<?>) constant).name().equals(name)) {
                    return constant;
                }
            }
            throw new HeaderReader.MalformedException(what + " entry '" + c.getName() + "' is " + name
                    + ", not a constant of " + type.getSimpleName());
        }
        return value;
    }

    private static <R extends Record> R construct(Class<R> type, String what, Class<?>[] types, Object[] args)
            throws HeaderReader.MalformedException {
        try {
            Constructor<R> canonical = type.getDeclaredConstructor(types);
            return canonical.newInstance(args);
        } catch (InvocationTargetException e) {
            // The record's own validation refused the values; its message names the field.
            throw new HeaderReader.MalformedException(what + " refused: " + e.getCause().getMessage(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot call " + type.getSimpleName() + "'s canonical constructor", e);
        }
    }

    private static Object valueOf(Record record, RecordComponent c) {
        try {
            return c.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + record.getClass().getSimpleName() + "." + c.getName(), e);
        }
    }

    /** An enum constant's name as read, resolved once the component's type is known. */
    private record EnumName(String name) {}
}
