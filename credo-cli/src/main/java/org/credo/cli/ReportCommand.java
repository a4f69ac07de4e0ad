package org.credo.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.credo.app.scores.Report;
import org.credo.app.scores.ScoresOutcome;
import org.credo.app.wire.ReportWire;
import org.credo.records.Record;
import org.credo.scoring.Score;
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
    Report report;
    try (CliApplication cli = CliApplication.open(data)) {
      report =
          cli.app()
              .scores()
              .report(id, now)
              .orElseThrow(() -> BadInput.refused(new ScoresOutcome.NothingHeld(id)));
      // An operator's read is an inquiry the subject sees, as at the console.
      cli.app()
          .subjectReads()
          .read(CliAudit.CALLER, id, "operator_report_read", "subject.report", now);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(Wire.pretty(ReportWire.of(report)));
      return Credo.OK;
    }
    out.printf("Report for %s, %s%n", id, now);
    out.printf("%nRecords held (%d):%n", report.records().size());
    for (Report.Held h : report.records()) {
      Record r = h.record();
      out.printf(
          Locale.ROOT,
          "  %s  %-34s %-36s learned %s%s%s%s%s%n",
          r.occurred().toString().substring(0, 10),
          r.type(),
          r.key(),
          r.learned().toString().substring(0, 10),
          r.evidence().map(e -> "  evidence: " + e).orElse(""),
          r.supersedes()
              .map(x -> "  corrects " + x)
              .orElse(r.retracts().map(t -> "  withdraws " + t).orElse("")),
          h.dispute().map(d -> "  [dispute " + d.id() + ": " + d.state().word() + "]").orElse(""),
          h.scoredBy().isEmpty() ? "  [kept, scored by no active policy]" : "");
      out.printf("      %s%n", h.matchEvidence());
    }
    for (Score s : report.scores()) {
      out.println();
      out.print(ScoreText.render(s, report.disputed()));
    }
    if (report.scores().isEmpty()) {
      out.println("\nNo active policy scores this subject.");
    }
    out.printf(
        "%nWho asked about this subject (inquiries, newest first, %d):%n",
        report.inquiries().size());
    for (org.credo.access.Inquiry i : report.inquiries()) {
      out.printf("  %s  %-20s %-24s %s%n", i.at(), i.party(), i.purpose().name(), i.outcome());
    }
    out.printf("%nConsents (%d):%n", report.consents().size());
    report
        .consents()
        .forEach(
            c ->
                out.printf(
                    "  %s  %-20s %-24s %s until %s%n",
                    c.id(), c.party(), c.purpose().name(), c.state(now), c.until()));
    out.printf("%nDisputes (%d):%n", report.disputes().size());
    report.disputes().forEach(d -> DisputeCommand.print(out, d, now));
    out.printf(
        "%nWho read or wrote this subject's data (audit log, newest first, %d):%n",
        report.audit().size());
    for (org.credo.audit.LoggedEntry e : report.audit()) {
      out.printf(
          "  %s  %-28s %-18s %s%n",
          e.entry().at(), e.entry().actor(), e.entry().action(), e.entry().detail());
    }
    return Credo.OK;
  }
}
