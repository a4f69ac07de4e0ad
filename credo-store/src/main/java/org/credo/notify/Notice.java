package org.credo.notify;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.TreeMap;

/**
 * Something a subject must be told: a new negative record, a list notice, a dispute's outcome, a
 * denial. {@code details} must not hold the subject's identifier or name (the outbox keeps those
 * sealed apart).
 *
 * @param kind one of {@link #NEGATIVE_RECORD}, {@link #LIST_NOTICE}, {@link #DISPUTE}, {@link
 *     #DENIAL}, {@link #REPAIR}
 */
public record Notice(String kind, String message, Map<String, String> details) {
  public static final String NEGATIVE_RECORD = "negative_record";
  public static final String LIST_NOTICE = "list_notice";
  public static final String DISPUTE = "dispute";
  public static final String DENIAL = "denial";
  public static final String REPAIR = "repair";

  public Notice {
    requireNonNull(kind, "kind is null");
    requireNonNull(message, "message is null");
    details = java.util.Collections.unmodifiableMap(new TreeMap<>(details));
  }
}
