package org.credo.records;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.credo.subject.SubjectId;

/**
 * One fact about one subject from one source. Immutable; a correction or retraction is a new record
 * that names the one it supersedes or retracts.
 *
 * <p>Bitemporal: {@code occurred} is when the fact happened, {@code learned} when Credo learned it.
 * {@code (source, id)} is the idempotency key.
 *
 * @param attributes flat values: {@link Double} for numbers, {@link String}, {@link Boolean}
 */
public record Record(
    SourceId source,
    String id,
    SubjectId subject,
    RecordType type,
    Instant occurred,
    Instant learned,
    Map<String, Object> attributes,
    Optional<String> evidence,
    Optional<String> supersedes,
    Optional<String> retracts) {

  /**
   * The reserved source of the records Credo writes itself (a dispute's suppression): its
   * corrections and retractions name their target by its full key, {@code source/id}.
   */
  public static final String RESERVED_SOURCE = "credo";

  public Record {
    requireNonNull(source, "source is null");
    requireNonNull(id, "id is null");
    requireNonNull(subject, "subject is null");
    requireNonNull(type, "type is null");
    requireNonNull(occurred, "occurred is null");
    requireNonNull(learned, "learned is null");
    requireNonNull(attributes, "attributes is null");
    requireNonNull(evidence, "evidence is null");
    requireNonNull(supersedes, "supersedes is null");
    requireNonNull(retracts, "retracts is null");
    if (id.isEmpty() || id.length() > 128) {
      throw new IllegalArgumentException("record id must have 1 to 128 characters");
    }
    if (supersedes.isPresent() && retracts.isPresent()) {
      throw new IllegalArgumentException("a record may supersede or retract, not both");
    }
    TreeMap<String, Object> copy = new TreeMap<>();
    attributes.forEach(
        (name, value) -> {
          requireNonNull(value, "attribute " + name + " is null");
          if (value instanceof Number number && !(value instanceof Double)) {
            value = number.doubleValue();
          }
          if (!(value instanceof Double || value instanceof String || value instanceof Boolean)) {
            throw new IllegalArgumentException(
                "attribute " + name + " must be a number, string or boolean");
          }
          copy.put(name, value);
        });
    attributes = Collections.unmodifiableMap(copy);
  }

  /** A record with no attributes, evidence or links; handy in tests and samples. */
  public static Record of(
      String source, String id, String subject, String type, Instant occurred, Instant learned) {
    return new Record(
        SourceId.of(source),
        id,
        SubjectId.parse(subject),
        RecordType.of(type),
        occurred,
        learned,
        Map.of(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  /** The same record with other attributes. */
  public Record withAttributes(Map<String, Object> newAttributes) {
    return new Record(
        source,
        id,
        subject,
        type,
        occurred,
        learned,
        newAttributes,
        evidence,
        supersedes,
        retracts);
  }

  /** The same record, as a correction of {@code targetId}. */
  public Record superseding(String targetId) {
    return new Record(
        source,
        id,
        subject,
        type,
        occurred,
        learned,
        attributes,
        evidence,
        Optional.of(targetId),
        Optional.empty());
  }

  /** The same record, as the retraction of {@code targetId}. */
  public Record retracting(String targetId) {
    return new Record(
        source,
        id,
        subject,
        type,
        occurred,
        learned,
        attributes,
        evidence,
        Optional.empty(),
        Optional.of(targetId));
  }

  /** {@code source/id}, the record's key as shown to people. */
  public String key() {
    return source.value() + "/" + id;
  }

  /**
   * The key ({@code source/id}) of the record this one supersedes or retracts, if any. A source
   * names one of its own records by id; the reserved source {@value #RESERVED_SOURCE} names a
   * record of any source by its full key.
   */
  public Optional<String> targetKey() {
    Optional<String> link = supersedes.isPresent() ? supersedes : retracts;
    return link.map(l -> targetKey(source.value(), l));
  }

  /**
   * The key of the record that a link ({@code supersedes} or {@code retracts}) of a record of
   * {@code source} names, as {@link #targetKey()} works it out.
   */
  public static String targetKey(String source, String link) {
    return source.equals(RESERVED_SOURCE) ? link : source + "/" + link;
  }
}
