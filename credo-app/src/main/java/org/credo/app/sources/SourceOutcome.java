package org.credo.app.sources;

import org.credo.app.Refusal;
import org.credo.records.SourceId;

/** What a change to a source answers: what was done, or why not. */
public sealed interface SourceOutcome {

  /** The source is registered for the record types it names. */
  record Registered(org.credo.store.SourceRegistration source) implements SourceOutcome {}

  /** A type or prefix it names matches no type in the active catalogue. */
  record OutsideCatalogue(String problem) implements SourceOutcome, Refusal {
    @Override
    public String code() {
      return "outside_catalogue";
    }

    @Override
    public String message() {
      return problem + ": a source may be registered only for catalogued types";
    }

    @Override
    public Kind kind() {
      return Kind.BAD_INPUT;
    }
  }

  /** The source is suspended: its new records are stored but held, not scored. */
  record Suspended(SourceId source, String reason) implements SourceOutcome {}

  /** The suspension ended; {@code released} held records count from now on. */
  record Resumed(SourceId source, int released) implements SourceOutcome {}

  /** No source of that id is registered. */
  record UnknownSource(String source) implements SourceOutcome, Refusal {
    @Override
    public String code() {
      return "unknown_source";
    }

    @Override
    public String message() {
      return "source '" + source + "' is not registered";
    }

    @Override
    public Kind kind() {
      return Kind.NOT_FOUND;
    }
  }

  /** The source is not suspended: there is nothing to resume. */
  record NotSuspended(SourceId source) implements SourceOutcome, Refusal {
    @Override
    public String code() {
      return "not_suspended";
    }

    @Override
    public String message() {
      return "source " + source + " is not suspended";
    }

    @Override
    public Kind kind() {
      return Kind.CONFLICT;
    }
  }
}
