package org.credo.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.credo.server.CredoServer;
import org.credo.server.ServerConfig;
import org.credo.store.StoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code credo serve}: the HTTP API until the process is stopped (SIGTERM or Ctrl-C stop it
 * gracefully).
 */
@Command(
    name = "serve",
    description =
        "Run the HTTP API on the embedded store, or on PostgreSQL when configured (CREDO_JDBC_URL"
            + " or jdbc.url in the configuration file).")
final class ServeCommand implements Callable<Integer> {
  /** Counted down to stop a server started in-process (tests); a signal does it otherwise. */
  static volatile CountDownLatch stop = new CountDownLatch(1);

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "the store folder (default: $CREDO_DATA, else ./credo-data)")
  Path data;

  @Option(names = "--port", paramLabel = "P", description = "the port (default 8080; 0: any free)")
  Integer port;

  @Option(names = "--host", paramLabel = "H", description = "the address (default 127.0.0.1)")
  String host;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "a configuration file (properties); see docs/operations.md")
  Path config;

  @Option(
      names = "--serving",
      description =
          "serving mode: answer decisions and scores from the serving tables the streaming job"
              + " writes to this store (PostgreSQL), not from records held here; see docs/scale.md")
  boolean serving;

  @Override
  public Integer call() throws InterruptedException {
    Map<String, String> overrides = new HashMap<>();
    if (serving) {
      overrides.put("serving", "true");
    }
    if (data != null) {
      overrides.put("data", data.toString());
    }
    if (port != null) {
      overrides.put("port", port.toString());
    }
    if (host != null) {
      overrides.put("host", host);
    }
    ServerConfig cfg;
    try {
      cfg = ServerConfig.load(Optional.ofNullable(config), System.getenv(), overrides);
    } catch (IllegalArgumentException e) {
      throw new BadInput(e.getMessage());
    }
    CredoServer server;
    try {
      server = CredoServer.start(cfg, Credo.clock);
    } catch (StoreException | IllegalStateException e) {
      throw new BadInput(e.getMessage());
    } catch (RuntimeException e) {
      throw new BadInput(
          "cannot serve on " + cfg.host() + ":" + cfg.port() + ": " + e.getMessage());
    }
    var out = spec.commandLine().getOut();
    out.printf(
        "Credo API on http://%s:%d/ (store %s, signing key %s); OpenAPI at /openapi.json%n",
        cfg.host(), server.port(), server.store().location(), server.signingKey().keyId());
    out.printf(
        java.util.Locale.ROOT,
        "in-memory index: %,d subjects, %,d records, %,d MB%n",
        server.index().subjects(),
        server.index().records(),
        server.index().bytes() >> 20);
    out.flush();
    return serveUntilStopped(server);
  }

  /**
   * Serves until a signal (SIGTERM, Ctrl-C) or, in tests, {@link #stop}; then stops the server
   * gracefully.
   */
  static int serveUntilStopped(CredoServer server) throws InterruptedException {
    CountDownLatch latch = stop;
    Thread hook =
        new Thread(
            () -> {
              server.close();
              latch.countDown();
            },
            "credo-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    latch.await();
    server.close();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // already shutting down
    }
    return Credo.OK;
  }
}
