package org.credo.cli;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.credo.app.AppSettings;
import org.credo.app.CredoApplication;
import org.credo.audit.AuditEntry;
import org.credo.audit.AuditLog;
import org.credo.server.ServerConfig;
import org.credo.store.Store;
import org.credo.store.StoreException;

/**
 * The CLI's composition root: one {@link CredoApplication} over the store a command names, built
 * with the same settings the server reads — the same keys, {@code CREDO_*} environment variables
 * and defaults, and the configuration file named by {@code CREDO_CONFIG} — so that, for example,
 * the repair deadline cannot differ between {@code credo} and {@code credo serve}. A command opens
 * it, calls one use case, renders the answer and closes it.
 */
final class CliApplication implements AutoCloseable {
  private final Store store;
  private final boolean ownsStore;
  private final AuditLog auditLog;
  private final CredoApplication application;

  private CliApplication(Store store, boolean ownsStore) {
    this.store = requireNonNull(store, "store is null");
    this.ownsStore = ownsStore;
    AuditLog log = null;
    try {
      log = AuditLog.open(store);
      this.auditLog = log;
      this.application = new CredoApplication(store, log, settings(), Credo.clock, null);
    } catch (RuntimeException e) {
      if (log != null) {
        log.close();
      }
      throw e;
    }
  }

  /** Opens the store of {@code data} and the application over it. */
  static CliApplication open(DataOption data) {
    Store store = data.open();
    try {
      return new CliApplication(store, true);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /** The application over an already open store, which the caller keeps and closes. */
  static CliApplication over(Store store) {
    return new CliApplication(store, false);
  }

  /**
   * The application's settings as {@code credo serve} reads them (configuration file, environment,
   * defaults), so both doors agree.
   */
  static AppSettings settings() {
    String file = System.getenv("CREDO_CONFIG");
    try {
      return ServerConfig.load(
              Optional.ofNullable(file).filter(f -> !f.isBlank()).map(Path::of),
              System.getenv(),
              Map.of())
          .app();
    } catch (IllegalArgumentException e) {
      throw new BadInput(e.getMessage());
    }
  }

  CredoApplication app() {
    return application;
  }

  Store store() {
    return store;
  }

  /** Appends one entry about {@code subjectKey} (may be null) and waits for its commit. */
  void audit(String action, byte[] subjectKey, String detail) {
    try {
      auditLog.appendAndWait(
          new AuditEntry(Credo.clock.instant(), CliAudit.actor(), action, subjectKey, detail));
    } catch (AuditLog.Unavailable e) {
      throw new StoreException("cannot write the audit log: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      auditLog.close();
    } finally {
      if (ownsStore) {
        store.close();
      }
    }
  }
}
