package org.cgd4j.engine.internal.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * Layout of a cgd4j checkpoint file, format version 2 (version 1 files are still read). Every
 * number is little-endian.
 *
 * <pre>
 * offset 0      magic, 8 bytes: 0x89 'C' 'G' 'D' '4' 'J' '\r' '\n' (PNG-style: catches text-mode copies)
 * offset 8      u32 format version (1)
 * offset 12     u32 header length H
 * offset 16     header, H bytes:
 *                 string   library version that wrote the file (diagnostics only)
 *                 u8       byte order of the slice bytes: 1 little-endian, 2 big-endian
 *                 u16      n config entries, each: string name, u8 tag, value
 *                          (tags: 1 double as IEEE bits, 2 i32, 3 i64, 4 boolean u8, 5 enum by name)
 *                 i32      dimension d
 *                 i64      steps taken
 *                 i64      steps skipped
 *                 u16      k slices, each: string name, i64 byte length
 *               version 2 continues (version 1 ends here and means: one vector "params" of d, one group):
 *                 u16      tensors, each: string name, u8 rank, rank × i32 dimensions
 *                 u16      groups, each: config entries as above, u16 n, n × string tensor name
 *                 string   schedule kind (Constant, LinearWarmup, ...), then its entries as the config's
 *                 f64      clipNorm, i32 threads, f64 learning-rate scale
 *                 u8       state precision: 0 not fixed yet, 1 double, 2 float
 * offset 16 + H the k slices' bytes, in header order, copied byte for byte from the optimizer
 * last 4 bytes  u32 CRC32C of every byte before it
 * </pre>
 * A string is a u16 byte count and that many bytes of UTF-8. The config is stored by component
 * name and enums by constant name, so reordering {@code CgdConfig} components or enum constants
 * does not change the meaning of an old file; a component added later takes its neutral default
 * when a file lacks it ({@code CgdConfig.DEFAULTS}), and an unknown one is refused by name.
 */
final class CheckpointFormat {
    private CheckpointFormat() {}

    static final byte[] MAGIC = {(byte) 0x89, 'C', 'G', 'D', '4', 'J', '\r', '\n'};
    static final int VERSION = 2;
    /** The oldest version this library reads. */
    static final int OLDEST_READABLE = 1;
    /** Magic, version and header length. */
    static final int PREAMBLE_BYTES = 16;
    static final int TRAILER_BYTES = 4;
    /** Sanity bounds that a corrupted length field cannot get past. */
    static final int MAX_HEADER_BYTES = 1 << 20;
    static final int MAX_STRING_BYTES = 1024;
    static final int MAX_SLICES = 65_535;
    /**
     * The most worker threads a loaded checkpoint may ask for (its spec's {@code threads}): a file must
     * not make load start thousands of threads. Far above any useful count for a memory-bound pass.
     */
    static final int MAX_THREADS = 1024;
    /** Format 1's bound (one vector: at most a few slices). */
    static final int MAX_SLICES_V1 = 256;

    static final byte ORDER_LITTLE_ENDIAN = 1;
    static final byte ORDER_BIG_ENDIAN = 2;

    static final byte TAG_DOUBLE = 1;
    static final byte TAG_INT = 2;
    static final byte TAG_LONG = 3;
    static final byte TAG_BOOLEAN = 4;
    static final byte TAG_ENUM = 5;

    /** Chunk size for streaming slices and checksums: large enough to be fast, small enough for any heap. */
    static final int CHUNK_BYTES = 1 << 22;

    private static final String LIBRARY_VERSION = readLibraryVersion();

    /** The version of this library (from the build), or "unknown" when run from unfiltered sources. */
    static String libraryVersion() { return LIBRARY_VERSION; }

    private static String readLibraryVersion() {
        try (InputStream in = CheckpointFormat.class.getResourceAsStream("library-version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "unknown");
            return v.startsWith("${") ? "unknown" : v;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
