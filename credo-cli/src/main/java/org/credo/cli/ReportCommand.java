package org.credo.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.credo.disputes.Dispute;
import org.credo.disputes.Disputes;
import org.credo.engine.Engine;
import org.credo.notify.Outbox;
import org.credo.records.Record;
import org.credo.records.RecordJson;
import org.credo.scoring.Score;
import org.credo.server.ApiWire;
import org.credo.store.Store;
import org.credo.subject.SubjectId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code credo report SUBJECT}: everything a subject is entitled to see — every record held, with
 * its source, evidence and when Credo learned it, and the score under every active policy with each
 * record's contribution and the lists.
 */
@Command(
    name = "report",
    description =
        "The full report a subject is entitled to: records, scores, contributions, lists.")
final class ReportCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin DataOption data;

  @Parameters(index = "0", paramLabel = "SUBJECT")
  String subject;

  @Option(names = "--json", description = "print JSON instead of text")
  boolean json;

  @Override
  public Integer call() {
    SubjectId id = ScoreCommand.subject(subject);
    Instant now = Credo.clock.instant();
    try (Store store = data.open()) {
      Engine engine = DataOption.engine(store);
      List<Record> records = engine.records(id);
      List<Score> scores = engine.scores(id, now, now);
      List<Dispute> disputes = new Disputes(engine).forSubject(id);
      byte[] key = store.keys().pseudonym(id);
      CliAudit.record(store, "subject.report", key, "records=" + records.size());
      List<org.credo.audit.LoggedEntry> audit;
      List<org.credo.access.Inquiry> inquiries;
      try (org.credo.audit.AuditLog log = org.credo.audit.AuditLog.open(store)) {
        audit = log.about(key, 100);
        inquiries = new org.credo.access.InquiryLog(store, log).list(id, 100);
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        ObjectNode node = Wire.MAPPER.createObjectNode();
        node.put("subject", id.toString());
        node.put("generatedAt", now.toString());
        ArrayNode recs = node.putArray("records");
        records.forEach(r -> recs.add(RecordJson.toNode(r)));
        ArrayNode sc = node.putArray("scores");
        scores.forEach(s -> sc.add(Wire.score(s)));
        ArrayNode inq = node.putArray("inquiries");
        inquiries.forEach(i -> inq.add(ApiWire.inquiry(i)));
        ArrayNode disp = node.putArray("disputes");
        disputes.forEach(d -> disp.add(ApiWire.dispute(d, now)));
        ArrayNode told = node.putArray("notifications");
        new Outbox(store).forSubject(id, 100).forEach(n -> told.add(ApiWire.notification(n)));
        ArrayNode aud = node.putArray("audit");
        for (org.credo.audit.LoggedEntry e : audit) {
          ObjectNode a = aud.addObject();
          a.put("seq", e.seq());
          a.put("at", e.entry().at().toString());
          a.put("actor", e.entry().actor());
          a.put("action", e.entry().action());
          a.put("detail", e.entry().detail());
        }
        out.println(Wire.pretty(node));
        return Credo.OK;
      }
      out.printf("Report for %s, %s%n", id, now);
      out.printf("%nRecords held (%d):%n", records.size());
      for (Record r : records) {
        out.printf(
            Locale.ROOT,
            "  %s  %-34s %-36s learned %s%s%s%n",
            r.occurred().toString().substring(0, 10),
            r.type(),
            r.key(),
            r.learned().toString().substring(0, 10),
            r.evidence().map(e -> "  evidence: " + e).orElse(""),
            r.supersedes()
                .map(s -> "  corrects " + s)
                .orElse(r.retracts().map(t -> "  withdraws " + t).orElse("")));
      }
      for (Score s : scores) {
        out.println();
        out.print(ScoreText.render(s));
      }
      if (scores.isEmpty()) {
        out.println("\nNo active policy scores this subject.");
      }
      out.printf(
          "%nWho asked about this subject (inquiries, newest first, %d):%n", inquiries.size());
      for (org.credo.access.Inquiry i : inquiries) {
        out.printf("  %s  %-20s %-24s %s%n", i.at(), i.party(), i.purpose().name(), i.outcome());
      }
      out.printf("%nDisputes (%d):%n", disputes.size());
      disputes.forEach(d -> DisputeCommand.print(out, d, now));
      out.printf(
          "%nWho read or wrote this subject's data (audit log, newest first, %d):%n", audit.size());
      for (org.credo.audit.LoggedEntry e : audit) {
        out.printf(
            "  %s  %-28s %-18s %s%n",
            e.entry().at(), e.entry().actor(), e.entry().action(), e.entry().detail());
      }
    }
    return Credo.OK;
  }
}
