package org.credo.records;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.credo.subject.SubjectId;

/**
 * Reads and writes records in the JSON form of SPEC §2. Every problem is a {@link
 * RecordFormatException} with a one-line reason; nothing here does I/O.
 */
public final class RecordJson {
  /** The fields of a record object; any other field is refused. */
  public static final Set<String> FIELDS =
      Set.of(
          "source",
          "id",
          "subject",
          "type",
          "occurred",
          "learned",
          "attributes",
          "evidence",
          "supersedes",
          "retracts");

  private static final ObjectMapper MAPPER = StrictJson.mapper();

  /** The earliest instant a record may carry. */
  public static final Instant EARLIEST = Instant.parse("1900-01-01T00:00:00Z");

  /** The latest instant any field may carry (consents, certificates): year 3000 is refused. */
  public static final Instant LATEST = Instant.parse("2999-12-31T23:59:59Z");

  /** The longest {@code evidence} a record may carry, in characters. */
  public static final int MAX_EVIDENCE = 2_000;

  /** The longest string attribute value, in characters. */
  public static final int MAX_ATTRIBUTE_TEXT = 1_000;

  // Providers send a handful of sources and types millions of times: check each text once.
  private static final int CACHE_LIMIT = 10_000;
  private static final Map<String, SourceId> SOURCES =
      new java.util.concurrent.ConcurrentHashMap<>();
  private static final Map<String, RecordType> TYPES =
      new java.util.concurrent.ConcurrentHashMap<>();

  private RecordJson() {}

  /**
   * Parses one JSON object.
   *
   * @param impliedSource the source implied by the caller's credentials, if any; a record that
   *     names another source is refused
   * @param learned when Credo learned the record; if null, the record's own {@code learned} field
   *     is used, else its {@code occurred} time (for sample files and tests)
   * @param now records that occurred after {@code now} are refused
   */
  public static Record parse(
      String json, Optional<SourceId> impliedSource, Instant learned, Instant now) {
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new RecordFormatException("malformed JSON: " + StrictJson.problem(e));
    }
    if (node == null || !node.isObject()) {
      throw new RecordFormatException("a record must be a JSON object");
    }
    return fromNode((ObjectNode) node, impliedSource, learned, now);
  }

  /** Builds a record from a parsed JSON object; see {@link #parse}. */
  public static Record fromNode(
      ObjectNode node, Optional<SourceId> impliedSource, Instant learned, Instant now) {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw new RecordFormatException(
            "unknown field '" + name + "': a record has " + String.join(", ", sorted(FIELDS)));
      }
    }
    SourceId source;
    Optional<String> named = optionalText(node, "source");
    if (impliedSource.isPresent()) {
      if (named.isPresent() && !named.get().equals(impliedSource.get().value())) {
        throw new RecordFormatException(
            "record names source '"
                + named.get()
                + "' but was submitted as '"
                + impliedSource.get()
                + "'");
      }
      source = impliedSource.get();
    } else {
      source = wrap("source", () -> cached(SOURCES, required(node, "source"), SourceId::of));
    }
    String id = identifier(node, "id").orElseThrow(() -> missing("id"));
    SubjectId subject = wrap("subject", () -> subject(required(node, "subject")));
    RecordType type = wrap("type", () -> cached(TYPES, required(node, "type"), RecordType::of));
    Instant occurred = parseTime("occurred", required(node, "occurred"));
    if (occurred.isAfter(now)) {
      throw new RecordFormatException("occurred " + occurred + " is in the future");
    }
    Instant learnedAt = learned;
    if (learnedAt == null) {
      Optional<String> ownLearned = optionalText(node, "learned");
      learnedAt = ownLearned.isPresent() ? parseTime("learned", ownLearned.get()) : occurred;
      if (learnedAt.isAfter(now)) {
        throw new RecordFormatException("learned " + learnedAt + " is in the future");
      }
    }
    Map<String, Object> attributes = attributes(node.get("attributes"));
    Optional<String> supersedes = identifier(node, "supersedes");
    Optional<String> retracts = identifier(node, "retracts");
    Optional<String> evidence = optionalText(node, "evidence");
    if (evidence.isPresent()) {
      if (evidence.get().length() > MAX_EVIDENCE) {
        throw new RecordFormatException(
            "evidence has " + evidence.get().length() + " characters; at most " + MAX_EVIDENCE);
      }
      if (evidence.get().chars().anyMatch(c -> c < 0x20 && c != '\n' && c != '\t' || c == 0x7f)) {
        throw new RecordFormatException("evidence holds a control character");
      }
    }
    if (supersedes.isPresent() && retracts.isPresent()) {
      throw new RecordFormatException("a record may supersede or retract, not both");
    }
    if (supersedes.equals(Optional.of(id)) || retracts.equals(Optional.of(id))) {
      throw new RecordFormatException("a record cannot supersede or retract itself");
    }
    return new Record(
        source, id, subject, type, occurred, learnedAt, attributes, evidence, supersedes, retracts);
  }

  /**
   * Parses an ISO-8601 instant, offset date-time or date (midnight UTC).
   *
   * @throws RecordFormatException naming {@code field} when the text is none of those
   */
  public static Instant parseTime(String field, String text) {
    Instant quick = quickTime(text);
    if (quick != null) {
      return inRange(field, quick);
    }
    try {
      if (text.length() == 10) {
        return inRange(field, LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant());
      }
      return inRange(field, OffsetDateTime.parse(text).toInstant());
    } catch (DateTimeParseException e) {
      throw new RecordFormatException(
          field
              + " '"
              + text
              + "' is not an ISO-8601 date (2026-03-01) or instant (2026-03-01T10:15:00Z)");
    }
  }

  /**
   * The two forms files use most, {@code 2026-03-01} and {@code 2026-03-01T10:15:00Z}, read without
   * java.time's general parser (a quarter of an import's parsing); null for any other text, which
   * {@link #parseTime} then reads (or refuses) as before.
   */
  private static Instant quickTime(String text) {
    int length = text.length();
    if (length != 10 && length != 20) {
      return null;
    }
    if (text.charAt(4) != '-' || text.charAt(7) != '-') {
      return null;
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 2);
    int day = digits(text, 8, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > 28 && day > lengthOf(year, month)) {
      return null;
    }
    long seconds = LocalDate.of(year, month, day).toEpochDay() * 86_400L;
    if (length == 10) {
      return Instant.ofEpochSecond(seconds);
    }
    if (text.charAt(10) != 'T'
        || text.charAt(13) != ':'
        || text.charAt(16) != ':'
        || text.charAt(19) != 'Z') {
      return null;
    }
    int hour = digits(text, 11, 2);
    int minute = digits(text, 14, 2);
    int second = digits(text, 17, 2);
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
      return null;
    }
    return Instant.ofEpochSecond(seconds + hour * 3_600L + minute * 60L + second);
  }

  /** The number the {@code count} ASCII digits at {@code from} spell, or -1. */
  private static int digits(String text, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static int lengthOf(int year, int month) {
    return java.time.YearMonth.of(year, month).lengthOfMonth();
  }

  /** The record as a JSON object, fields in a fixed order. */
  public static ObjectNode toNode(Record record) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("source", record.source().value());
    node.put("id", record.id());
    node.put("subject", record.subject().toString());
    node.put("type", record.type().value());
    node.put("occurred", record.occurred().toString());
    node.put("learned", record.learned().toString());
    if (!record.attributes().isEmpty()) {
      ObjectNode attrs = node.putObject("attributes");
      record
          .attributes()
          .forEach(
              (k, v) -> {
                if (v instanceof Double d) {
                  if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                    attrs.put(k, d.longValue());
                  } else {
                    attrs.put(k, d);
                  }
                } else if (v instanceof Boolean b) {
                  attrs.put(k, b);
                } else {
                  attrs.put(k, v.toString());
                }
              });
    }
    record.evidence().ifPresent(e -> node.put("evidence", e));
    record.supersedes().ifPresent(s -> node.put("supersedes", s));
    record.retracts().ifPresent(r -> node.put("retracts", r));
    return node;
  }

  private static Map<String, Object> attributes(JsonNode node) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isObject()) {
      throw new RecordFormatException("attributes must be a flat JSON object");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      JsonNode value = field.getValue();
      if (value.isNumber()) {
        out.put(field.getKey(), value.doubleValue());
      } else if (value.isTextual()) {
        if (value.textValue().length() > MAX_ATTRIBUTE_TEXT) {
          throw new RecordFormatException(
              "attribute '"
                  + field.getKey()
                  + "' has more than "
                  + MAX_ATTRIBUTE_TEXT
                  + " characters");
        }
        if (!StrictJson.wellFormed(value.textValue()) || !StrictJson.wellFormed(field.getKey())) {
          throw new RecordFormatException(
              "attribute '" + field.getKey() + "' holds a lone surrogate: not Unicode text");
        }
        out.put(field.getKey(), value.textValue());
      } else if (value.isBoolean()) {
        out.put(field.getKey(), value.booleanValue());
      } else {
        throw new RecordFormatException(
            "attribute '" + field.getKey() + "' must be a number, string or boolean");
      }
    }
    return out;
  }

  /** Instants outside [{@link #EARLIEST}, {@link #LATEST}] are refused, naming the field. */
  private static Instant inRange(String field, Instant t) {
    if (t.isBefore(EARLIEST)) {
      throw new RecordFormatException(
          field + " " + t + " is before " + EARLIEST + ", the earliest instant Credo accepts");
    }
    if (t.isAfter(LATEST)) {
      throw new RecordFormatException(
          field + " " + t + " is after " + LATEST + ", the latest instant Credo accepts");
    }
    return t;
  }

  /**
   * An identifier field (a record's id, or the id it supersedes or retracts): at most 128
   * characters, none of them a control character or U+FFFD (the mark of undecodable bytes).
   */
  private static Optional<String> identifier(JsonNode node, String field) {
    Optional<String> value = optionalText(node, field);
    if (value.isPresent()) {
      String v = value.get();
      if (v.length() > 128) {
        throw new RecordFormatException(field + " must have at most 128 characters");
      }
      if (v.chars().anyMatch(c -> Character.isISOControl(c) || c == 0xFFFD)) {
        throw new RecordFormatException(field + " holds a control character or U+FFFD");
      }
    }
    return value;
  }

  private static RecordFormatException missing(String field) {
    return new RecordFormatException("missing required field '" + field + "'");
  }

  private static String required(JsonNode node, String field) {
    return optionalText(node, field)
        .orElseThrow(() -> new RecordFormatException("missing required field '" + field + "'"));
  }

  private static Optional<String> optionalText(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      throw new RecordFormatException("field '" + field + "' must be a string");
    }
    if (value.textValue().isBlank()) {
      throw new RecordFormatException("field '" + field + "' is empty");
    }
    if (!StrictJson.wellFormed(value.textValue())) {
      throw new RecordFormatException(
          "field '" + field + "' holds a lone surrogate (\\ud800-\\udfff): not Unicode text");
    }
    return Optional.of(value.textValue());
  }

  // Files usually list a subject's records together: remember the last subject parsed.
  private static final ThreadLocal<SubjectId> LAST_SUBJECT = new ThreadLocal<>();

  private static SubjectId subject(String text) {
    SubjectId last = LAST_SUBJECT.get();
    if (last != null
        && text.length() == last.kind().prefix().length() + 1 + last.id().length()
        && text.charAt(last.kind().prefix().length()) == ':'
        && text.startsWith(last.kind().prefix())
        && text.endsWith(last.id())) {
      return last;
    }
    SubjectId parsed = SubjectId.parse(text);
    LAST_SUBJECT.set(parsed);
    return parsed;
  }

  private static <T> T cached(
      Map<String, T> cache, String text, java.util.function.Function<String, T> parse) {
    T known = cache.get(text);
    if (known != null) {
      return known;
    }
    T value = parse.apply(text);
    if (cache.size() < CACHE_LIMIT) {
      cache.put(text, value);
    }
    return value;
  }

  private static <T> T wrap(String field, java.util.function.Supplier<T> parse) {
    try {
      return parse.get();
    } catch (RecordFormatException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new RecordFormatException(field + ": " + e.getMessage());
    }
  }

  private static java.util.List<String> sorted(Set<String> names) {
    return names.stream().sorted().toList();
  }
}
