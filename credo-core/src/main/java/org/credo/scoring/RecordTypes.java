package org.credo.scoring;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.credo.records.RecordType;

/**
 * Numbers record types, so that columns hold a two-byte ordinal instead of a reference. Ordinals
 * are given in order of first use and never change. One thread numbers types (the owner of the
 * columns guards it); any thread may read them.
 */
public final class RecordTypes {
  private final Map<RecordType, Integer> ordinals = new HashMap<>();
  private volatile RecordType[] types = new RecordType[0];

  /** The ordinal of {@code type}, numbering it if it is new. */
  public int ordinal(RecordType type) {
    Integer known = ordinals.get(type);
    if (known != null) {
      return known;
    }
    RecordType[] now = types;
    if (now.length > Short.MAX_VALUE) {
      throw new IllegalStateException("more than " + Short.MAX_VALUE + " record types");
    }
    int ordinal = now.length;
    RecordType[] next = Arrays.copyOf(now, ordinal + 1);
    next[ordinal] = type;
    ordinals.put(type, ordinal);
    types = next;
    return ordinal;
  }

  /** The type numbered {@code ordinal}. */
  public RecordType type(int ordinal) {
    return types[ordinal];
  }

  /** How many types are numbered. */
  public int size() {
    return types.length;
  }
}
