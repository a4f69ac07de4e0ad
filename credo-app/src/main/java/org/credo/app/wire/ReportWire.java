package org.credo.app.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.credo.app.scores.Report;
import org.credo.disputes.DisputeState;
import org.credo.records.RecordJson;
import org.credo.scoring.Score;

/**
 * The report as {@code GET /v1/subjects/{s}/report}, the portal and {@code credo report --json}
 * give it: every record held with its dispute and the policies that score it, the scores, list
 * entries, inquiries, consents, disputes, notices and the subject's audit trail, and their rights.
 */
public record ReportWire(
    String subject,
    String generatedAt,
    List<HeldRecord> records,
    List<ScoreWire> scores,
    List<ListEntryWire> lists,
    List<InquiryWire> inquiries,
    List<ConsentWire> consents,
    List<DisputeWire> disputes,
    List<NotificationWire> notifications,
    List<AuditEntryWire> audit,
    String rights) {

  static final String RIGHTS =
      "You may dispute any record with the operator; a record whose source does not answer"
          + " within the deadline stops counting. This report is free.";

  /**
   * A record as it was submitted ({@link RecordJson}'s one form of a record), followed by its
   * dispute, the active policies that score it and, when none does, why it counts nowhere.
   */
  @JsonSerialize(using = HeldRecord.Writer.class)
  public record HeldRecord(
      ObjectNode record,
      DisputeFlag dispute,
      List<String> scoredBy,
      String unscored,
      MatchWire match) {

    /** Writes the record's own fields, then this wrapper's, as one object. */
    static final class Writer extends JsonSerializer<HeldRecord> {
      @Override
      public void serialize(HeldRecord h, JsonGenerator g, SerializerProvider p)
          throws IOException {
        g.writeStartObject();
        for (Map.Entry<String, JsonNode> f : h.record().properties()) {
          g.writeFieldName(f.getKey());
          g.writeTree(f.getValue());
        }
        if (h.dispute() != null) {
          g.writeFieldName("dispute");
          p.defaultSerializeValue(h.dispute(), g);
        }
        g.writeFieldName("scoredBy");
        p.defaultSerializeValue(h.scoredBy(), g);
        if (h.unscored() != null) {
          g.writeStringField("unscored", h.unscored());
        }
        g.writeFieldName("match");
        p.defaultSerializeValue(h.match(), g);
        g.writeEndObject();
      }
    }
  }

  /**
   * How the record's subject was matched at intake: the identifier (masked) and the check it passed
   * ({@code prc_resident_id}, {@code uscc}, {@code national_id}, or {@code not_recorded} for a
   * record stored before match evidence was kept). Never a name.
   */
  public record MatchWire(String identifier, String check, String how) {}

  /** The dispute on a held record: {@code disputed} while it is open. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record DisputeFlag(String id, String state, String statement, boolean disputed) {}

  public static ReportWire of(Report report) {
    Instant now = report.generatedAt();
    List<HeldRecord> records = new ArrayList<>();
    for (Report.Held h : report.records()) {
      records.add(
          new HeldRecord(
              RecordJson.toNode(h.record()),
              h.dispute()
                  .map(
                      d ->
                          new DisputeFlag(
                              d.id(),
                              d.state().word(),
                              d.statement(),
                              d.state() == DisputeState.OPEN))
                  .orElse(null),
              List.copyOf(h.scoredBy()),
              h.scoredBy().isEmpty()
                  ? "no active policy scores records of type "
                      + h.record().type()
                      + ": it is kept, shown and disputable, but counts nowhere"
                  : null,
              new MatchWire(
                  h.record().subject().masked(),
                  h.match().map(m -> m.code()).orElse("not_recorded"),
                  h.matchEvidence())));
    }
    List<ListEntryWire> lists = new ArrayList<>();
    for (Score s : report.scores()) {
      s.lists().forEach(e -> lists.add(ListEntryWire.of(e, s.asOf()).withPolicy(s.policy().id())));
    }
    return new ReportWire(
        report.subject().toString(),
        now.toString(),
        records,
        report.scores().stream().map(s -> ScoreWire.of(s, report.disputed())).toList(),
        lists,
        report.inquiries().stream().map(InquiryWire::of).toList(),
        report.consents().stream().map(c -> ConsentWire.of(c, now)).toList(),
        report.disputes().stream().map(d -> DisputeWire.of(d, now)).toList(),
        report.notifications().stream().map(NotificationWire::of).toList(),
        report.audit().stream().map(AuditEntryWire::of).toList(),
        RIGHTS);
  }
}
