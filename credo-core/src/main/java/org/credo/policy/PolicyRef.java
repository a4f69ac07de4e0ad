package org.credo.policy;

import static java.util.Objects.requireNonNull;

/** A policy's id and version: what a score or decision was computed under. */
public record PolicyRef(String id, int version) {
  public PolicyRef {
    requireNonNull(id, "id is null");
    if (version < 1) {
      throw new IllegalArgumentException("version must be at least 1");
    }
  }

  @Override
  public String toString() {
    return id + " v" + version;
  }
}
