package org.credo.retention;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.credo.audit.AuditLog;
import org.credo.catalogue.Catalogue;
import org.credo.catalogue.CatalogueEntry;
import org.credo.engine.Engine;
import org.credo.records.RecordType;
import org.credo.store.Jdbc;
import org.credo.store.Store;
import org.credo.subject.SubjectId;

/**
 * Erasure where lawful (GDPR Art. 17): everything Credo holds about a subject goes, except the
 * records whose catalogue entry says a law obliges keeping them ({@code kept_by_law}) for their
 * retention — a court's defaulter listing, a judgment — and the corrections and retractions of
 * those. Consents, scoring-mode changes, the name, inquiries, notices, and the disputes of erased
 * records are deleted; the audit log's entries about the subject lose their content and keep their
 * hash, so the chain still verifies.
 */
public final class Erasure {
  /** One record type kept, how many records, and the legal basis that keeps them. */
  public record Kept(String type, long records, String basis) {}

  /**
   * What an erasure did.
   *
   * @param erasedByType records deleted, by type
   * @param kept what had to be kept and why, by type
   */
  public record Result(
      long recordsErased,
      Map<String, Long> erasedByType,
      List<Kept> kept,
      int consents,
      int scoringModes,
      int inquiries,
      int notices,
      int disputes,
      boolean name,
      long auditEntries) {}

  private final Engine engine;
  private final Store store;
  private final AuditLog audit;

  public Erasure(Engine engine, AuditLog audit) {
    this.engine = requireNonNull(engine, "engine is null");
    this.store = engine.store();
    this.audit = requireNonNull(audit, "audit is null");
  }

  /** Erases what may be erased about {@code subject}, under {@code catalogue}. */
  public Result erase(SubjectId subject, Catalogue catalogue) {
    byte[] key = store.keys().pseudonym(subject);
    record Row(long seq, String type, long target) {}
    List<Row> rows =
        store
            .jdbc()
            .query(
                "SELECT seq, type, target_seq FROM records WHERE subject_key = ?",
                rs -> {
                  long target = rs.getLong(3);
                  return new Row(rs.getLong(1), rs.getString(2), rs.wasNull() ? 0 : target);
                },
                (Object) key);
    Set<Long> keptSeqs = new HashSet<>();
    Map<String, Long> keptCounts = new TreeMap<>();
    for (Row r : rows) {
      if (keptByLaw(catalogue, r.type())) {
        keptSeqs.add(r.seq());
      }
    }
    // A correction or retraction of a kept record stays with it: it changes what is kept.
    for (Row r : rows) {
      if (r.target() > 0 && keptSeqs.contains(r.target())) {
        keptSeqs.add(r.seq());
      }
    }
    List<Long> erase = new ArrayList<>();
    Map<Long, byte[]> keys = new HashMap<>();
    Map<String, Long> erasedByType = new TreeMap<>();
    for (Row r : rows) {
      if (keptSeqs.contains(r.seq())) {
        keptCounts.merge(r.type(), 1L, Long::sum);
      } else {
        erase.add(r.seq());
        keys.put(r.seq(), key);
        erasedByType.merge(r.type(), 1L, Long::sum);
      }
    }
    erase.sort(null);
    int disputes = 0;
    for (int from = 0; from < erase.size(); from += 500) {
      List<Long> part = erase.subList(from, Math.min(erase.size(), from + 500));
      String marks = Jdbc.marks(part.size());
      Object[] args = part.toArray();
      disputes +=
          store
              .jdbc()
              .transaction(
                  c -> {
                    Jdbc.update(
                        c,
                        "DELETE FROM dispute_events WHERE dispute_id IN (SELECT id FROM disputes"
                            + " WHERE record_seq IN ("
                            + marks
                            + "))",
                        args);
                    return Jdbc.update(
                        c, "DELETE FROM disputes WHERE record_seq IN (" + marks + ")", args);
                  });
      store.deleteRecords(part);
    }
    engine.removed(keys);
    int consents = store.jdbc().update("DELETE FROM consents WHERE subject_key = ?", (Object) key);
    int modes = store.scoringModes().erase(key);
    // What fairness is measured by has no legal retention of its own: it goes with the subject.
    org.credo.store.fairness.FairnessVault.erase(store, key);
    int inquiries =
        store.jdbc().update("DELETE FROM inquiries WHERE subject_key = ?", (Object) key);
    int notices =
        store.jdbc().update("DELETE FROM notifications WHERE subject_key = ?", (Object) key);
    boolean name =
        store
                .jdbc()
                .update(
                    "UPDATE subjects SET personal_data = NULL WHERE subject_key = ?"
                        + " AND personal_data IS NOT NULL",
                    (Object) key)
            > 0;
    long auditEntries = audit.erase(key);
    List<Kept> kept = new ArrayList<>();
    keptCounts.forEach(
        (type, n) ->
            kept.add(
                new Kept(
                    type,
                    n,
                    entry(catalogue, type)
                        .map(CatalogueEntry::basis)
                        .orElse("a correction or retraction of a record kept by law"))));
    return new Result(
        erase.size(),
        erasedByType,
        kept,
        consents,
        modes,
        inquiries,
        notices,
        disputes,
        name,
        auditEntries);
  }

  private static boolean keptByLaw(Catalogue catalogue, String type) {
    return entry(catalogue, type).map(CatalogueEntry::keptByLaw).orElse(false);
  }

  private static java.util.Optional<CatalogueEntry> entry(Catalogue catalogue, String type) {
    try {
      return catalogue.entry(new RecordType(type));
    } catch (IllegalArgumentException e) {
      return java.util.Optional.empty();
    }
  }
}
