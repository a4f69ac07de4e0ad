package org.credo.server;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * A server in its own process over a prepared store folder, printing "PORT n" once it serves, so
 * that {@link KillDuringIntakeTest} can kill it with SIGKILL while clients submit records.
 */
public final class ServerChild {
  private ServerChild() {}

  public static void main(String[] args) throws Exception {
    ServerConfig config =
        ServerConfig.load(
            Optional.empty(),
            Map.of(),
            Map.of(
                "data", Path.of(args[0]).toString(),
                "port", "0",
                "limits.decisions-per-second", "100000",
                "limits.reports-per-minute", "100000",
                "limits.address-reads-per-second", "100000",
                "shutdown.grace", "PT0S"));
    CredoServer server = CredoServer.start(config, Clock.systemUTC());
    System.out.println("PORT " + server.port());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
