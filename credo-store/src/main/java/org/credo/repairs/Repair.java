package org.credo.repairs;

import java.time.Instant;
import java.util.Optional;

/**
 * A subject's application to end a black-list entry (credit repair), with evidence that its basis
 * is remedied.
 *
 * @param basis the record the entry rests on, {@code source/id}
 * @param state {@code open}, {@code granted} or {@code refused}
 * @param decidedBy the operator, or {@code credo:scheduler} when the deadline passed undecided
 */
public record Repair(
    String id,
    String list,
    String basis,
    String evidence,
    String state,
    Instant opened,
    Instant deadline,
    Optional<Instant> decided,
    Optional<String> decidedBy,
    Optional<String> reason) {}
