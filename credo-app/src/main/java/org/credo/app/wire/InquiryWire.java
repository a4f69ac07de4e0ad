package org.credo.app.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.credo.access.Inquiry;

/** An inquiry as a subject's report and {@code GET …/inquiries} show it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InquiryWire(
    String at,
    String party,
    String purpose,
    String outcome,
    String policy,
    Integer policyVersion,
    String decision) {
  /** A subject's inquiries, newest first, as {@code GET /v1/subjects/{s}/inquiries} gives them. */
  public record OfSubject(String subject, java.util.List<InquiryWire> inquiries) {}

  public static InquiryWire of(Inquiry i) {
    return new InquiryWire(
        i.at().toString(),
        i.party(),
        i.purpose().name(),
        i.outcome(),
        i.policy().map(p -> p.id()).orElse(null),
        i.policy().map(p -> p.version()).orElse(null),
        i.decisionId());
  }
}
