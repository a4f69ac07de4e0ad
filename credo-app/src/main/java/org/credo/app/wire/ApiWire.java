package org.credo.app.wire;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.credo.audit.LoggedEntry;
import org.credo.disputes.Dispute;
import org.credo.notify.Notification;
import org.credo.signing.Canonical;

/**
 * The JSON wire form of Credo's answers, kept apart from the domain types and shared by every front
 * door (the HTTP API and the CLI's {@code --json}). Each message is a record in this package
 * ({@link ScoreWire}, {@link ScoresWire}, {@link ReportWire}, {@link DecisionWire}…) that Jackson
 * writes with its fields in declaration order; numbers are {@link Num}s, rounded to two decimals
 * and written as integers when they are whole. This class holds the one mapper they share.
 */
public final class ApiWire {
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private ApiWire() {}

  /** An audit log entry as a subject's report and the auditor's views show it. */
  public static ObjectNode auditEntry(LoggedEntry e) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("seq", e.seq());
    n.put("at", e.entry().at().toString());
    n.put("actor", e.entry().actor());
    n.put("action", e.entry().action());
    n.put("detail", e.entry().detail());
    return n;
  }

  public static com.fasterxml.jackson.databind.JsonNode num(double v) {
    return Canonical.number(Math.round(v * 100) / 100.0);
  }

  /** A dispute with its history, as the API and the CLI show it. */
  public static ObjectNode dispute(Dispute d, Instant now) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("id", d.id());
    o.put("record", d.record());
    o.put("source", d.source());
    o.put("statement", d.statement());
    o.put("state", d.state().word());
    o.put("opened", d.opened().toString());
    o.put("deadline", d.deadline().toString());
    o.put("overdue", d.overdue(now));
    d.answered().ifPresent(t -> o.put("answered", t.toString()));
    d.answeredBy().ifPresent(t -> o.put("answeredBy", t));
    d.reason().ifPresent(t -> o.put("reason", t));
    d.result().ifPresent(t -> o.put("result", t));
    ArrayNode h = o.putArray("history");
    for (Dispute.Event e : d.history()) {
      ObjectNode x = h.addObject();
      x.put("at", e.at().toString());
      x.put("state", e.state().word());
      x.put("by", e.actor());
      e.note().ifPresent(t -> x.put("note", t));
    }
    return o;
  }

  /** A notice to a subject with its delivery state. */
  public static ObjectNode notification(Notification n) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("id", "ntf-" + n.seq());
    o.put("kind", n.notice().kind());
    o.put("message", n.notice().message());
    ObjectNode d = o.putObject("details");
    n.notice().details().forEach(d::put);
    o.put("created", n.created().toString());
    o.put("delivery", n.state());
    o.put("attempts", n.attempts());
    n.delivered().ifPresent(t -> o.put("delivered", t.toString()));
    n.lastError().ifPresent(t -> o.put("lastError", t));
    return o;
  }
}
