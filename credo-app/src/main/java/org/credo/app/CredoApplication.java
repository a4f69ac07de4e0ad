package org.credo.app;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import org.credo.access.Consents;
import org.credo.access.InquiryLog;
import org.credo.access.Parties;
import org.credo.access.Tokens;
import org.credo.app.access.Access;
import org.credo.app.audit.AuditTrail;
import org.credo.app.consents.SubjectConsents;
import org.credo.app.decisions.Decisions;
import org.credo.app.disputes.DisputeDesk;
import org.credo.app.lists.Lists;
import org.credo.app.notifications.SubjectNotices;
import org.credo.app.policies.Policies;
import org.credo.app.records.RecordIntake;
import org.credo.app.replays.DecisionReplays;
import org.credo.app.retention.Purges;
import org.credo.app.scores.Scores;
import org.credo.app.sources.Sources;
import org.credo.audit.AuditLog;
import org.credo.disputes.Disputes;
import org.credo.engine.Engine;
import org.credo.notify.Outbox;
import org.credo.repairs.ListDueProcess;
import org.credo.repairs.Repairs;
import org.credo.signing.BatchSigner;
import org.credo.store.ListPublications;
import org.credo.store.Store;

/**
 * The whole application over one store, built once per process by its composition root (the
 * server's {@code CredoServer}, the CLI's {@code Cli}) and called by every front door. It wires the
 * store's services with {@code new} — no container — and hands out one use-case object per feature;
 * a front door parses, calls one of them and renders what it returns.
 *
 * <p>Everything that decides an answer lives behind these objects, so the CLI, the HTTP API and a
 * replay give the same score, report and decision for the same store.
 */
public final class CredoApplication {
  private final Store store;
  private final AppSettings settings;
  private final Clock clock;
  private final Engine engine;
  private final Disputes disputes;
  private final Repairs repairs;
  private final Outbox outbox;
  private final AuditLog auditLog;
  private final InquiryLog inquiries;
  private final Parties parties;
  private final Consents consents;
  private final Sources sources;
  private final org.credo.app.catalogue.RecordCatalogue catalogue;
  private final Policies policies;
  private final org.credo.app.fairness.FairnessAudit fairness;
  private final AuditTrail auditTrail;
  private final SubjectReads subjectReads;
  private final SubjectNotices subjectNotices;
  private final Access access;
  private final Purges purges;
  private final Scores scores;
  private final Decisions decisions;
  private final DecisionReplays decisionReplays;
  private final SubjectConsents subjectConsents;
  private final org.credo.app.subjects.SubjectScoring subjectScoring;
  private final org.credo.app.subjects.SubjectErasure subjectErasure;
  private final RecordIntake recordIntake;
  private final DisputeDesk disputeDesk;
  private final Lists lists;

  /**
   * @param auditLog the audit log over {@code store}, opened by the caller with the options of its
   *     deployable (the server signs checkpoints and groups commits; the CLI appends one entry)
   * @param signer signs decisions; the CLI, which gives unsigned decisions, passes {@code null}
   */
  public CredoApplication(
      Store store, AuditLog auditLog, AppSettings settings, Clock clock, BatchSigner signer) {
    this.store = requireNonNull(store, "store is null");
    this.auditLog = requireNonNull(auditLog, "auditLog is null");
    this.settings = requireNonNull(settings, "settings is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.engine = new Engine(store);
    // Every score the engine gives passes through list due process: disputes holding an entry,
    // granted repairs ending one — whoever asks.
    ListDueProcess lists = ListDueProcess.install(engine, settings.repairDeadline());
    this.disputes = lists.disputes();
    this.repairs = lists.repairs();
    this.outbox = new Outbox(store);
    this.inquiries = new InquiryLog(store, auditLog);
    this.parties = new Parties(store.dataSource());
    this.consents = new Consents(store);
    this.sources = new Sources(store, engine, disputes, auditLog, settings);
    this.policies = new Policies(engine, store, auditLog);
    this.fairness = new org.credo.app.fairness.FairnessAudit(engine, store, auditLog);
    this.catalogue = new org.credo.app.catalogue.RecordCatalogue(engine, store, auditLog);
    this.auditTrail = new AuditTrail(auditLog, store.keys());
    this.subjectReads = new SubjectReads(inquiries, auditLog, store.keys());
    this.subjectNotices = new SubjectNotices(outbox, subjectReads);
    this.purges = new Purges(engine, auditLog, settings.retentionGrace());
    this.access =
        new Access(
            new Tokens(store, java.time.Duration.ZERO), parties, engine, auditLog, store.keys());
    org.credo.app.serving.ServingStore served =
        settings.serving() ? new org.credo.app.serving.ServingStore(store) : null;
    this.scores =
        new Scores(engine, disputes, inquiries, consents, outbox, auditLog, store.keys(), served);
    this.subjectConsents = new SubjectConsents(consents, parties);
    this.subjectScoring = new org.credo.app.subjects.SubjectScoring(store, auditLog);
    this.subjectErasure = new org.credo.app.subjects.SubjectErasure(engine, auditLog);
    this.decisions =
        new Decisions(
            engine, parties, consents, inquiries, disputes, store.keys(), auditLog, signer, served);
    this.decisionReplays = new DecisionReplays(engine, inquiries);
    this.recordIntake = new RecordIntake(engine, auditLog, clock);
    this.disputeDesk = new DisputeDesk(disputes, repairs, auditLog, store.keys());
    this.lists = new Lists(engine, new ListPublications(store), repairs, auditLog, store.keys());
  }

  public Store store() {
    return store;
  }

  public AppSettings settings() {
    return settings;
  }

  public Clock clock() {
    return clock;
  }

  /** Records coming in: a provider's submission, an operator's import. */
  public RecordIntake recordIntake() {
    return recordIntake;
  }

  /** The dispute workflow: open, answer, recertify, expire, and who sees which dispute. */
  public DisputeDesk disputeDesk() {
    return disputeDesk;
  }

  /** Red and black lists: their entries, publication on a public red list, and repairs. */
  public Lists lists() {
    return lists;
  }

  /** Scoring policies as versions: activation, history, what is active. */
  /** The fairness audit: selection rates and adverse impact by age band, sex and region. */
  public org.credo.app.fairness.FairnessAudit fairness() {
    return fairness;
  }

  public Policies policies() {
    return policies;
  }

  /** The record-type catalogue: check, activate (audited), the active one, the history. */
  public org.credo.app.catalogue.RecordCatalogue catalogue() {
    return catalogue;
  }

  /** The audit log as its readers use it: a subject's entries, the chain's verification. */
  public AuditTrail auditTrail() {
    return auditTrail;
  }

  /**
   * The one rule for reading a subject's data: audited, and an inquiry unless it is the subject's.
   */
  public SubjectReads subjectReads() {
    return subjectReads;
  }

  /** What subjects were told, and whether it was delivered. */
  public SubjectNotices subjectNotices() {
    return subjectNotices;
  }

  /** Who may use the API: relying parties and tokens. */
  public Access access() {
    return access;
  }

  /** Retention: records past expiry and grace are purged. */
  public Purges purges() {
    return purges;
  }

  /** Scores and reports: the one path to a score. */
  public Scores scores() {
    return scores;
  }

  /** Relying parties' purpose-bound decisions. */
  public Decisions decisions() {
    return decisions;
  }

  /** Past decisions replayed exactly, beside today's knowledge and policy. */
  public DecisionReplays decisionReplays() {
    return decisionReplays;
  }

  /** A subject's consents to relying parties: grant, revoke, list. */
  /** Erasure where lawful: what no law keeps about a subject goes. */
  public org.credo.app.subjects.SubjectErasure subjectErasure() {
    return subjectErasure;
  }

  /** Score-free mode: a subject's choice not to be scored. */
  public org.credo.app.subjects.SubjectScoring subjectScoring() {
    return subjectScoring;
  }

  public SubjectConsents subjectConsents() {
    return subjectConsents;
  }

  public Engine engine() {
    return engine;
  }

  public Disputes disputes() {
    return disputes;
  }

  public Repairs repairs() {
    return repairs;
  }

  public Outbox outbox() {
    return outbox;
  }

  public AuditLog auditLog() {
    return auditLog;
  }

  public InquiryLog inquiries() {
    return inquiries;
  }

  public Parties parties() {
    return parties;
  }

  public Consents consents() {
    return consents;
  }

  /** The providers of records: registration, accountability, suspension. */
  public Sources sources() {
    return sources;
  }
}
