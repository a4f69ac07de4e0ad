package org.credo.scoring;

import static java.util.Objects.requireNonNull;

/**
 * Why a score is not higher, or why a decision went as it did: a stable code (a rule's record type,
 * a factor's name, or a purpose condition), a human text, and the points involved.
 */
public record ReasonCode(String code, String text, double points) {
  public ReasonCode {
    requireNonNull(code, "code is null");
    requireNonNull(text, "text is null");
  }
}
