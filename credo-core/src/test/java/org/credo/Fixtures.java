package org.credo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.credo.policy.Policy;
import org.credo.policy.PolicyException;
import org.credo.policy.PolicyLoader;
import org.credo.records.Record;
import org.credo.records.RecordType;
import org.credo.records.SourceId;
import org.credo.subject.SubjectId;

/** Shared test inputs: the example policies and a compact way to write records. */
public final class Fixtures {
  public static final SubjectId ALICE = SubjectId.parse("person:370102199001011231");
  public static final SubjectId BOB = SubjectId.parse("person:371082198506120049");
  public static final SubjectId ACME = SubjectId.parse("org:91110000600037341L");
  public static final Instant NOW = Instant.parse("2026-11-22T00:00:00Z");

  private Fixtures() {}

  /** The catalogue shipped in {@code catalogue/credo-default.yaml}. */
  public static org.credo.catalogue.Catalogue shippedCatalogue() {
    Path path = Path.of("..", "catalogue", "credo-default.yaml");
    try {
      return org.credo.catalogue.CatalogueReader.read(path.toString(), Files.readString(path));
    } catch (IOException | org.credo.catalogue.CatalogueException e) {
      throw new AssertionError(e);
    }
  }

  /** Loads one of the policies shipped in {@code policies/}, under the shipped catalogue. */
  public static Policy example(String name) {
    Path path = Path.of("..", "policies", name + ".yaml");
    try {
      return PolicyLoader.load(
          path.toString(), Files.readString(path), shippedCatalogue().firewall());
    } catch (IOException | PolicyException e) {
      throw new AssertionError(e);
    }
  }

  /** Loads a policy from text, failing the test if it does not load. */
  public static Policy policy(String yaml) {
    try {
      return PolicyLoader.load("test.yaml", yaml);
    } catch (PolicyException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  /** A record learned when it occurred. */
  public static Record record(SubjectId subject, String id, String type, String occurred) {
    return record(subject, id, type, occurred, Map.of());
  }

  public static Record record(
      SubjectId subject, String id, String type, String occurred, Map<String, Object> attributes) {
    Instant at = time(occurred);
    return new Record(
        SourceId.of("test-source"),
        id,
        subject,
        RecordType.of(type),
        at,
        at,
        attributes,
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  /** The same record, learned at another time. */
  public static Record learnedAt(Record r, String learned) {
    return new Record(
        r.source(),
        r.id(),
        r.subject(),
        r.type(),
        r.occurred(),
        time(learned),
        r.attributes(),
        r.evidence(),
        r.supersedes(),
        r.retracts());
  }

  public static Instant time(String text) {
    return text.length() == 10 ? Instant.parse(text + "T00:00:00Z") : Instant.parse(text);
  }
}
