package org.credo.store;

import static java.util.Objects.requireNonNull;
import static org.credo.store.Jdbc.instant;
import static org.credo.store.Jdbc.micros;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.credo.catalogue.Catalogue;
import org.credo.catalogue.CatalogueException;
import org.credo.catalogue.CatalogueReader;

/**
 * The record-type catalogue's versions (table {@code catalogues}) and activations ({@code
 * catalogue_activations}), as {@link Store#catalogues()} gives them. The active catalogue is the
 * one activated last; a version's text never changes.
 */
public final class Catalogues {
  /** Where the catalogue shipped with Credo is on the class path. */
  public static final String SHIPPED = "/org/credo/catalogue/credo-default.yaml";

  /** The active catalogue with its text and its activation. */
  public record Active(Catalogue catalogue, String yaml, Activation activation) {}

  /** One activation: which version, when, approved by whom and why. */
  public record Activation(
      String name, int version, Instant at, String approvedBy, String reason) {}

  private final Jdbc jdbc;
  private volatile Active cached;
  private volatile long cachedSeq = -1;

  Catalogues(Jdbc jdbc) {
    this.jdbc = requireNonNull(jdbc, "jdbc is null");
  }

  /** The text of the catalogue shipped with Credo. */
  public static String shippedYaml() {
    try (InputStream in = Catalogues.class.getResourceAsStream(SHIPPED)) {
      if (in == null) {
        throw new IllegalStateException("the shipped catalogue is missing from the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the shipped catalogue: " + e.getMessage(), e);
    }
  }

  /** The catalogue shipped with Credo. */
  public static Catalogue shipped() {
    try {
      return CatalogueReader.read("credo-default.yaml", shippedYaml());
    } catch (CatalogueException e) {
      throw new IllegalStateException("the shipped catalogue does not load:\n" + e.getMessage(), e);
    }
  }

  /** The active catalogue (parsed once per activation); empty only before the first. */
  public Optional<Active> active() {
    // Every submission asks: one small query for the newest activation's number, and the text is
    // read and parsed only when that number moved.
    Optional<Long> seq =
        jdbc.one("SELECT MAX(seq) FROM catalogue_activations", rs -> rs.getLong(1))
            .filter(n -> n > 0);
    if (seq.isEmpty()) {
      return Optional.empty();
    }
    Active c = cached;
    if (c != null && cachedSeq == seq.get()) {
      return Optional.of(c);
    }
    Active fresh =
        jdbc.one(
                "SELECT a.name, a.version, a.activated_us, a.approved_by, a.reason, c.yaml"
                    + " FROM catalogue_activations a JOIN catalogues c ON c.name = a.name AND"
                    + " c.version = a.version WHERE a.seq = ?",
                rs -> {
                  String yaml = rs.getString(6);
                  Catalogue catalogue;
                  try {
                    catalogue = CatalogueReader.read(rs.getString(1) + ".yaml", yaml);
                  } catch (CatalogueException e) {
                    throw new StoreException(
                        "the active catalogue no longer loads:\n" + e.getMessage(), e);
                  }
                  return new Active(
                      catalogue,
                      yaml,
                      new Activation(
                          rs.getString(1),
                          rs.getInt(2),
                          instant(rs.getLong(3)),
                          rs.getString(4),
                          rs.getString(5)));
                },
                seq.get())
            .orElseThrow();
    cached = fresh;
    cachedSeq = seq.get();
    return Optional.of(fresh);
  }

  /**
   * Saves a catalogue version's text (the same text again changes nothing; another text under a
   * saved version is refused) and makes it the active one, approved by {@code approvedBy} for
   * {@code reason}.
   */
  public void activate(
      Catalogue catalogue, String yaml, String approvedBy, String reason, Instant at) {
    requireNonNull(approvedBy, "approvedBy is null");
    requireNonNull(reason, "reason is null");
    jdbc.transaction(
        c -> {
          List<String> saved =
              Jdbc.query(
                  c,
                  "SELECT yaml FROM catalogues WHERE name = ? AND version = ?",
                  rs -> rs.getString(1),
                  catalogue.name(),
                  catalogue.version());
          if (saved.isEmpty()) {
            Jdbc.update(
                c,
                "INSERT INTO catalogues (name, version, yaml, saved_us) VALUES (?, ?, ?, ?)",
                catalogue.name(),
                catalogue.version(),
                yaml,
                micros(at));
          } else if (!saved.get(0).equals(yaml)) {
            throw new StoreException(
                "catalogue "
                    + catalogue.label()
                    + " is already saved with other content: give the new text a new version");
          }
          Jdbc.update(
              c,
              "INSERT INTO catalogue_activations (name, version, activated_us, approved_by, reason)"
                  + " VALUES (?, ?, ?, ?, ?)",
              catalogue.name(),
              catalogue.version(),
              micros(at),
              approvedBy,
              reason);
          return null;
        });
  }

  /** A saved version's text. */
  public Optional<String> text(String name, int version) {
    return jdbc.one(
        "SELECT yaml FROM catalogues WHERE name = ? AND version = ?",
        rs -> rs.getString(1),
        name,
        version);
  }

  /** Every activation, oldest first. */
  public List<Activation> history() {
    return jdbc.query(
        "SELECT name, version, activated_us, approved_by, reason FROM catalogue_activations"
            + " ORDER BY seq",
        rs ->
            new Activation(
                rs.getString(1),
                rs.getInt(2),
                instant(rs.getLong(3)),
                rs.getString(4),
                rs.getString(5)));
  }
}
