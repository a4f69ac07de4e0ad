package org.credo.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecordJsonTest {
  static final Instant NOW = Instant.parse("2026-11-22T00:00:00Z");

  static Record parse(String json) {
    return RecordJson.parse(json, Optional.empty(), null, NOW);
  }

  private static String refusal(String json) {
    try {
      RecordJson.parse(json, Optional.empty(), NOW, NOW);
    } catch (RecordFormatException e) {
      return e.getMessage();
    }
    throw new AssertionError("accepted: " + json);
  }

  @Test
  void strictReadingRefusesWhatWouldBeStoredAsSomethingElse() {
    String base =
        "\"source\":\"court\",\"subject\":\"person:110105197803154025\",\"type\":\"court.x\"";
    // Far past and year 0: refused with the range, never wrapped into another date.
    assertThat(
            refusal("{" + base + ",\"id\":\"a\",\"occurred\":\"-582528-12-06T15:58:10.448384Z\"}"))
        .contains("before 1900-01-01");
    assertThat(refusal("{" + base + ",\"id\":\"a\",\"occurred\":\"0000-01-01\"}"))
        .contains("before 1900-01-01");
    assertThat(refusal("{" + base + ",\"id\":\"a\",\"occurred\":\"-999999999-01-01T00:00:00Z\"}"))
        .contains("before 1900-01-01");
    // Trailing data and a key given twice.
    assertThat(refusal("{" + base + ",\"id\":\"a\",\"occurred\":\"2026-01-01\"} {\"id\":\"b\"}"))
        .contains("more data after the JSON value")
        .doesNotContain("DeserializationFeature");
    assertThat(
            refusal(
                "{"
                    + base
                    + ",\"id\":\"a\",\"subject\":\"person:370102199001011231\",\"occurred\":\"2026-01-01\"}"))
        .contains("field 'subject' appears twice");
    // Control characters and undecodable marks in ids; long evidence and attribute text.
    assertThat(refusal("{" + base + ",\"id\":\"a\\u0000b\",\"occurred\":\"2026-01-01\"}"))
        .contains("id holds a control character");
    assertThat(refusal("{" + base + ",\"id\":\"a\\ufffd\",\"occurred\":\"2026-01-01\"}"))
        .contains("U+FFFD");
    assertThat(
            refusal(
                "{"
                    + base
                    + ",\"id\":\"a\",\"occurred\":\"2026-01-01\",\"evidence\":\""
                    + "x".repeat(RecordJson.MAX_EVIDENCE + 1)
                    + "\"}"))
        .contains("at most " + RecordJson.MAX_EVIDENCE);
    assertThat(
            refusal(
                "{"
                    + base
                    + ",\"id\":\"a\",\"occurred\":\"2026-01-01\",\"attributes\":{\"n\":\""
                    + "x".repeat(RecordJson.MAX_ATTRIBUTE_TEXT + 1)
                    + "\"}}"))
        .contains("more than " + RecordJson.MAX_ATTRIBUTE_TEXT);
    // Nesting beyond Jackson's limit is told without its internals.
    assertThat(refusal("[".repeat(2000) + "]".repeat(2000)))
        .contains("nested too deeply")
        .doesNotContain("StreamReadConstraints");
  }

  @Test
  void readsTheSpecExample() {
    Record r =
        parse(
            "{\"source\":\"court-enforcement\",\"id\":\"2026-jd-0042\","
                + "\"subject\":\"person:370102199001011231\",\"type\":\"court.judgment_defaulter\","
                + "\"occurred\":\"2026-03-01\",\"attributes\":{\"amount\":52000},"
                + "\"evidence\":\"case (2026) Lu 01 Zhi 42\"}");
    assertThat(r.key()).isEqualTo("court-enforcement/2026-jd-0042");
    assertThat(r.occurred()).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
    assertThat(r.learned()).isEqualTo(r.occurred());
    assertThat(r.attributes()).containsEntry("amount", 52000.0);
    assertThat(r.evidence()).contains("case (2026) Lu 01 Zhi 42");
  }

  @Test
  void convertsOffsetTimesToUtc() {
    Record r =
        parse(
            "{\"source\":\"s\",\"id\":\"1\",\"subject\":\"person:1\",\"type\":\"a.b\","
                + "\"occurred\":\"2026-03-01T08:00:00+08:00\"}");
    assertThat(r.occurred()).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
  }

  @Test
  void usesTheLearnedTimeCredoGivesOverTheRecordsOwn() {
    Instant learned = Instant.parse("2026-05-05T00:00:00Z");
    Record r =
        RecordJson.parse(
            "{\"source\":\"s\",\"id\":\"1\",\"subject\":\"person:1\",\"type\":\"a.b\","
                + "\"occurred\":\"2026-03-01\",\"learned\":\"2026-04-01\"}",
            Optional.empty(),
            learned,
            NOW);
    assertThat(r.learned()).isEqualTo(learned);
  }

  @Test
  void refusesEachKindOfBadInputWithAReason() {
    String ok =
        "\"source\":\"s\",\"id\":\"1\",\"subject\":\"person:1\",\"type\":\"a.b\",\"occurred\":\"2026-03-01\"";
    assertThatThrownBy(() -> parse("{" + ok)).hasMessageStartingWith("malformed JSON");
    assertThatThrownBy(() -> parse("[1]")).hasMessage("a record must be a JSON object");
    assertThatThrownBy(() -> parse("{" + ok + ",\"colour\":\"red\"}"))
        .hasMessageContaining("unknown field 'colour'");
    assertThatThrownBy(
            () ->
                parse(
                    "{\"source\":\"s\",\"id\":\"1\",\"type\":\"a.b\",\"occurred\":\"2026-03-01\"}"))
        .hasMessage("missing required field 'subject'");
    assertThatThrownBy(() -> parse("{" + ok.replace("2026-03-01", "1 March") + "}"))
        .hasMessageContaining("occurred '1 March' is not an ISO-8601 date");
    assertThatThrownBy(() -> parse("{" + ok.replace("2026-03-01", "2027-01-01") + "}"))
        .hasMessageContaining("in the future");
    assertThatThrownBy(() -> parse("{" + ok.replace("person:1", "person:370102199001011232") + "}"))
        .hasMessageStartingWith("subject: resident id");
    assertThatThrownBy(() -> parse("{" + ok.replace("a.b", "Traffic") + "}"))
        .hasMessageStartingWith("type: record type 'Traffic'");
    assertThatThrownBy(() -> parse("{" + ok + ",\"attributes\":{\"x\":[1]}}"))
        .hasMessageContaining("attribute 'x' must be a number, string or boolean");
    assertThatThrownBy(() -> parse("{" + ok + ",\"supersedes\":\"a\",\"retracts\":\"b\"}"))
        .hasMessageContaining("supersede or retract, not both");
    assertThatThrownBy(() -> parse("{" + ok + ",\"retracts\":\"1\"}"))
        .hasMessageContaining("itself");
    assertThatThrownBy(() -> parse("{" + ok.replace("\"1\"", "7") + "}"))
        .hasMessage("field 'id' must be a string");
  }

  @Test
  void refusesARecordNamingAnotherSourceThanItsCredentials() {
    assertThatThrownBy(
            () ->
                RecordJson.parse(
                    "{\"source\":\"bank\",\"id\":\"1\",\"subject\":\"person:1\",\"type\":\"a.b\","
                        + "\"occurred\":\"2026-03-01\"}",
                    Optional.of(SourceId.of("court")),
                    NOW,
                    NOW))
        .hasMessageContaining("names source 'bank' but was submitted as 'court'");
  }

  @Test
  void writesWhatItReads() {
    String json =
        "{\"source\":\"s\",\"id\":\"1\",\"subject\":\"person:1\",\"type\":\"a.b\","
            + "\"occurred\":\"2026-03-01T00:00:00Z\",\"learned\":\"2026-03-02T00:00:00Z\","
            + "\"attributes\":{\"hours\":2.5,\"n\":3,\"ok\":true,\"s\":\"x\"},\"evidence\":\"e\","
            + "\"supersedes\":\"0\"}";
    Record r = parse(json);
    assertThat(RecordJson.toNode(r).toString()).isEqualTo(json);
  }

  @Test
  void rereadsEverySubjectEvenRightAfterASimilarOne() {
    String base =
        "{\"source\":\"s\",\"id\":\"1\",\"type\":\"a.b\",\"occurred\":\"2026-03-01\",\"subject\":";
    assertThat(parse(base + "\"person:370102199001011231\"}").subject().id())
        .isEqualTo("370102199001011231");
    assertThatThrownBy(() -> parse(base + "\"person;370102199001011231\"}"))
        .hasMessageContaining("subject");
    assertThat(parse(base + "\"org:91110000600037341L\"}").subject().kind())
        .isEqualTo(org.credo.subject.SubjectKind.ORG);
  }

  /** What java.time makes of a time, as parseTime did before it read the common forms itself. */
  static Optional<Instant> javaTime(String text) {
    try {
      if (text.length() == 10) {
        return Optional.of(
            java.time.LocalDate.parse(text).atStartOfDay(java.time.ZoneOffset.UTC).toInstant());
      }
      return Optional.of(java.time.OffsetDateTime.parse(text).toInstant());
    } catch (java.time.format.DateTimeParseException e) {
      return Optional.empty();
    }
  }

  @Test
  void readsDatesAndInstantsExactlyAsJavaTimeDoes() {
    java.util.Random random = new java.util.Random(20261123);
    String[] fields = {"%04d", "%02d", "%02d", "%02d", "%02d", "%02d"};
    int accepted = 0;
    for (int i = 0; i < 200_000; i++) {
      // Mostly plausible values with edges: month 0 and 13, day 0 to 32, hour 24, second 60.
      int[] v = {
        random.nextInt(10) == 0 ? random.nextInt(10_000) : 1990 + random.nextInt(40),
        random.nextInt(14),
        random.nextInt(33),
        random.nextInt(25),
        random.nextInt(61),
        random.nextInt(61)
      };
      StringBuilder text = new StringBuilder();
      for (int f = 0; f < 6; f++) {
        text.append(String.format(java.util.Locale.ROOT, fields[f], v[f]));
        text.append(f < 2 ? "-" : f == 2 ? "T" : f < 5 ? ":" : "Z");
      }
      String full = text.toString();
      String date = full.substring(0, 10);
      String sample =
          switch (random.nextInt(6)) {
            case 0 -> date;
            case 1 -> full.replace('Z', 'z');
            case 2 -> full.substring(0, 19) + "+08:00";
            case 3 -> {
              char[] c = full.toCharArray();
              c[random.nextInt(c.length)] = "0123456789-:TZ x".charAt(random.nextInt(16));
              yield new String(c);
            }
            default -> full;
          };
      Optional<Instant> expected = javaTime(sample);
      if (expected.isPresent()
          && (expected.get().isBefore(RecordJson.EARLIEST)
              || expected.get().isAfter(RecordJson.LATEST))) {
        // Well-formed, but outside the instants Credo accepts: refused with the range.
        assertThatThrownBy(() -> RecordJson.parseTime("occurred", sample))
            .as(sample)
            .isInstanceOf(RecordFormatException.class)
            .hasMessageContaining("instant Credo accepts");
      } else if (expected.isPresent()) {
        accepted++;
        assertThat(RecordJson.parseTime("occurred", sample)).as(sample).isEqualTo(expected.get());
      } else {
        assertThatThrownBy(() -> RecordJson.parseTime("occurred", sample))
            .as(sample)
            .isInstanceOf(RecordFormatException.class)
            .hasMessage(
                "occurred '"
                    + sample
                    + "' is not an ISO-8601 date (2026-03-01) or instant (2026-03-01T10:15:00Z)");
      }
    }
    assertThat(accepted).as("valid samples among the 200 000").isGreaterThan(50_000);
  }
}
