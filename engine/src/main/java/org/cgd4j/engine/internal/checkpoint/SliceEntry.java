package org.cgd4j.engine.internal.checkpoint;

/** One state slice as a checkpoint header lists it: its name and its length in bytes. */
record SliceEntry(String name, long byteSize) {}
