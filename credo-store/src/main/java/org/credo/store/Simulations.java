package org.credo.store;

import static java.util.Objects.requireNonNull;
import static org.credo.store.Jdbc.instant;
import static org.credo.store.Jdbc.micros;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.credo.policy.PolicyRef;

/**
 * Saved policy simulations (table {@code policy_simulations}): each what-if report with the SHA-256
 * of the candidate's text, so that an activation of that text can name the simulation it rests on.
 */
public final class Simulations {
  /**
   * One saved simulation.
   *
   * @param textSha256 the candidate policy text's SHA-256, hex
   * @param against the version it was compared with, {@code id@version}; empty when none was active
   * @param reportSha256 the report JSON's SHA-256, hex (also in the audit log)
   */
  public record Saved(
      String id,
      Instant at,
      String actor,
      PolicyRef policy,
      String textSha256,
      Optional<String> against,
      String reportSha256,
      String report) {
    public Saved {
      requireNonNull(id, "id is null");
      requireNonNull(at, "at is null");
      requireNonNull(actor, "actor is null");
      requireNonNull(policy, "policy is null");
      requireNonNull(textSha256, "textSha256 is null");
      requireNonNull(against, "against is null");
      requireNonNull(reportSha256, "reportSha256 is null");
      requireNonNull(report, "report is null");
    }
  }

  private static final String COLUMNS =
      "id, at_us, actor, policy, version, text_sha256, against, report_sha256, report";

  private final Jdbc jdbc;

  Simulations(Jdbc jdbc) {
    this.jdbc = requireNonNull(jdbc, "jdbc is null");
  }

  public void save(Saved s) {
    jdbc.update(
        "INSERT INTO policy_simulations (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        s.id(),
        micros(s.at()),
        s.actor(),
        s.policy().id(),
        s.policy().version(),
        s.textSha256(),
        s.against().orElse(null),
        s.reportSha256(),
        s.report());
  }

  public Optional<Saved> find(String id) {
    return jdbc.one(
        "SELECT " + COLUMNS + " FROM policy_simulations WHERE id = ?", Simulations::row, id);
  }

  /** The latest simulation of the policy text with this SHA-256, if there is one. */
  public Optional<Saved> latestOfText(String textSha256) {
    List<Saved> found =
        jdbc.query(
            "SELECT "
                + COLUMNS
                + " FROM policy_simulations WHERE text_sha256 = ? ORDER BY at_us DESC, id LIMIT 1",
            Simulations::row,
            textSha256);
    return found.stream().findFirst();
  }

  private static Saved row(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Saved(
        rs.getString(1),
        instant(rs.getLong(2)),
        rs.getString(3),
        new PolicyRef(rs.getString(4), rs.getInt(5)),
        rs.getString(6),
        Optional.ofNullable(rs.getString(7)),
        rs.getString(8),
        rs.getString(9));
  }
}
