package org.credo.app.sources;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.credo.app.AppSettings;
import org.credo.app.Caller;
import org.credo.audit.AuditEntry;
import org.credo.audit.AuditLog;
import org.credo.disputes.Disputes;
import org.credo.disputes.SourceQuality;
import org.credo.engine.Engine;
import org.credo.records.SourceId;
import org.credo.store.SourceRegistration;
import org.credo.store.Store;

/**
 * The providers of records: registering one (the record types it may submit), their accountability
 * (records, disputes, upheld rate, review flags) and suspension — a suspended source's new records
 * are held, not scored, until it is resumed. Each change is written to the audit log.
 */
public final class Sources {
  private final Store store;
  private final Engine engine;
  private final Disputes disputes;
  private final AuditLog audit;
  private final AppSettings settings;

  public Sources(
      Store store, Engine engine, Disputes disputes, AuditLog audit, AppSettings settings) {
    this.store = requireNonNull(store, "store is null");
    this.engine = requireNonNull(engine, "engine is null");
    this.disputes = requireNonNull(disputes, "disputes is null");
    this.audit = requireNonNull(audit, "audit is null");
    this.settings = requireNonNull(settings, "settings is null");
  }

  /** Registers a source, or changes the types it may submit. */
  public SourceOutcome register(Caller caller, SourceRegistration source) {
    var catalogue = store.catalogues().active();
    if (catalogue.isPresent()) {
      var refusal =
          catalogue.get().catalogue().refusalOfSourceTypes(source.typePrefixes(), source.kind());
      if (refusal.isPresent()) {
        return new SourceOutcome.OutsideCatalogue(refusal.get());
      }
    }
    store.sources().put(source);
    log(
        caller,
        "source.add",
        "source=" + source.id() + " types=" + String.join(",", source.typePrefixes()),
        source.registered());
    return new SourceOutcome.Registered(source);
  }

  /** The registered sources. */
  public List<SourceRegistration> registered() {
    return store.sources().all();
  }

  /**
   * Every source's accountability, judged with the configured review settings unless others are
   * given.
   *
   * @throws IllegalArgumentException when a threshold is not in [0, 1] or a minimum is negative
   */
  public Accountability accountability(OptionalDouble threshold, OptionalInt minimumDisputes) {
    SourceQuality quality =
        new SourceQuality(
            store,
            disputes,
            threshold.orElse(settings.reviewThreshold()),
            minimumDisputes.orElse(settings.reviewMinimum()));
    return new Accountability(quality.threshold(), quality.minDisputes(), quality.reports());
  }

  /** The sources' figures and the settings they were judged by. */
  public record Accountability(
      double threshold, int minimumDisputes, List<SourceQuality.Report> sources) {
    public Accountability {
      sources = List.copyOf(sources);
    }
  }

  /** Suspends a registered source. */
  public SourceOutcome suspend(Caller caller, String id, String reason, Instant now) {
    SourceId source = SourceId.of(id);
    if (store.sources().get(source).isEmpty()) {
      return new SourceOutcome.UnknownSource(id);
    }
    store.sources().suspend(source, reason, now);
    log(caller, "source.suspend", source.value(), now);
    return new SourceOutcome.Suspended(source, reason);
  }

  /**
   * Ends a source's suspension: its held records are released and count from now on (a running
   * index takes them in at once; other processes' within their next look at the store).
   */
  public SourceOutcome resume(Caller caller, String id, Instant now) {
    SourceId source = SourceId.of(id);
    if (store.sources().get(source).isEmpty()) {
      return new SourceOutcome.UnknownSource(id);
    }
    if (store.sources().suspension(source).isEmpty()) {
      return new SourceOutcome.NotSuspended(source);
    }
    int released = store.sources().resume(source, now);
    log(caller, "source.resume", source.value() + " released=" + released, now);
    if (released > 0 && engine.indexFigures().isPresent()) {
      engine.buildIndex(now); // the released records join the index
    }
    return new SourceOutcome.Resumed(source, released);
  }

  private void log(Caller caller, String action, String detail, Instant now) {
    audit.appendAndWait(new AuditEntry(now, caller.actor(), action, null, detail));
  }
}
