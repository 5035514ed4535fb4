package org.cgd4j.blas.internal.openblas;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The by-reference scalar arguments of one Fortran call (Fortran passes everything by address).
 *
 * <p>One instance per thread ({@link #current()}), its cells sliced once, so a call writes a few
 * values into existing off-heap memory and allocates nothing. The memory comes from an automatic
 * arena: it is freed by the GC once its thread (and so its {@code ThreadLocal} entry) is gone, which
 * a confined arena could not do (nobody would close it).
 */
final class FortranScratch {
    private static final ThreadLocal<FortranScratch> PER_THREAD = ThreadLocal.withInitial(FortranScratch::new);

    final MemorySegment char1;
    final MemorySegment char2;
    final MemorySegment m;
    final MemorySegment n;
    final MemorySegment k;
    final MemorySegment lda;
    final MemorySegment ldb;
    final MemorySegment ldc;
    final MemorySegment incx;
    final MemorySegment incy;
    final MemorySegment lwork;
    final MemorySegment liwork;
    final MemorySegment info;
    final MemorySegment alpha;
    final MemorySegment beta;
    final MemorySegment alphaFloat;
    final MemorySegment betaFloat;
    /** Receives WORK(1) / IWORK(1) of a workspace query, and stands in for A and W there. */
    final MemorySegment queryWork;
    final MemorySegment queryIwork;

    private FortranScratch() {
        MemorySegment s = Arena.ofAuto().allocate(104, 8);
        char1 = s.asSlice(0, 1);
        char2 = s.asSlice(1, 1);
        m = s.asSlice(8, 4);
        n = s.asSlice(12, 4);
        lda = s.asSlice(16, 4);
        incx = s.asSlice(20, 4);
        incy = s.asSlice(24, 4);
        lwork = s.asSlice(28, 4);
        liwork = s.asSlice(32, 4);
        info = s.asSlice(36, 4);
        alpha = s.asSlice(40, 8);
        beta = s.asSlice(48, 8);
        queryWork = s.asSlice(56, 16);
        queryIwork = s.asSlice(72, 8);
        k = s.asSlice(80, 4);
        ldb = s.asSlice(84, 4);
        ldc = s.asSlice(88, 4);
        alphaFloat = s.asSlice(92, 4);
        betaFloat = s.asSlice(96, 4);
    }

    static FortranScratch current() {
        return PER_THREAD.get();
    }

    static void putChar(MemorySegment cell, char c) {
        cell.set(JAVA_BYTE, 0, (byte) c);
    }

    static void putInt(MemorySegment cell, int v) {
        cell.set(JAVA_INT, 0, v);
    }

    static int getInt(MemorySegment cell) {
        return cell.get(JAVA_INT, 0);
    }

    static void putDouble(MemorySegment cell, double v) {
        cell.set(JAVA_DOUBLE, 0, v);
    }

    static void putFloat(MemorySegment cell, float v) {
        cell.set(JAVA_FLOAT, 0, v);
    }

    static float getFloat(MemorySegment cell) {
        return cell.get(JAVA_FLOAT, 0);
    }

    static double getDouble(MemorySegment cell) {
        return cell.get(JAVA_DOUBLE, 0);
    }
}
