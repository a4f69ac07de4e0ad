package org.credo.app.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.List;
import java.util.Locale;
import org.credo.app.lists.ListOutcome;

/**
 * A list's entries as {@code GET /v1/lists/{name}} gives them: each entry as a score shows it, with
 * the subject's pseudonym for operators and auditors and its identifier when it chose to appear.
 */
public record ListWire(
    String list,
    String kind,
    String policy,
    @JsonProperty("public") boolean publicList,
    String asOf,
    List<Listed> entries,
    int count) {

  /** One entry on the list. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Listed(@JsonUnwrapped ListEntryWire entry, String subjectRef, String subject) {}

  /** Whether a subject now appears on a public red list. */
  public record Publication(String list, boolean published) {}

  public static ListWire of(ListOutcome.Listed l) {
    List<Listed> entries =
        l.entries().stream()
            .map(
                e ->
                    new Listed(
                        ListEntryWire.of(e.entry(), l.asOf()),
                        e.subjectRef().orElse(null),
                        e.subject().map(Object::toString).orElse(null)))
            .toList();
    return new ListWire(
        l.list(),
        l.kind().name().toLowerCase(Locale.ROOT),
        l.policy().toString(),
        l.publicList(),
        l.asOf().toString(),
        entries,
        entries.size());
  }
}
