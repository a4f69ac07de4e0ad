package org.credo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.credo.certificates.Certificates;
import org.credo.signing.PublicKey;
import org.credo.signing.SigningKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code credo certificate verify FILE}: offline, with the issuer's public key, no database. */
@Command(
    name = "certificate",
    description = "Work with certificates.",
    subcommands = {CertificateCommand.Verify.class})
final class CertificateCommand implements Runnable {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "verify",
      description =
          "Verify a certificate offline: signature, issuer key and validity. Exit 0 valid, 1 not"
              + " valid, 2 bad input.")
  static final class Verify implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "the certificate (JSON)")
    Path file;

    @Option(
        names = "--key",
        paramLabel = "FILE",
        description =
            "the issuer's public key: the JSON of GET /v1/keys, a PEM file, or a base64 key")
    Path key;

    @Option(
        names = "--data",
        paramLabel = "DIR",
        description =
            "read the public key from the store folder's credo.signing instead (no database is"
                + " opened)")
    Path data;

    @Override
    public Integer call() {
      Map<String, PublicKey> keys = new HashMap<>();
      try {
        if (key != null) {
          String text = Files.readString(key);
          if (text.strip().startsWith("{")) {
            for (JsonNode k : Wire.MAPPER.readTree(text).path("keys")) {
              PublicKey pk = PublicKey.parse(k.path("publicKey").asText());
              keys.put(pk.keyId(), pk);
            }
          } else {
            PublicKey pk = PublicKey.parse(text);
            keys.put(pk.keyId(), pk);
          }
        } else if (data != null) {
          PublicKey pk = SigningKey.publicKeyInFolder(data);
          keys.put(pk.keyId(), pk);
        } else {
          throw new BadInput("give the issuer's public key with --key FILE (or --data DIR)");
        }
      } catch (IOException | IllegalArgumentException e) {
        throw new BadInput("cannot read the public key: " + e.getMessage());
      }
      if (keys.isEmpty()) {
        throw new BadInput("no public key found in " + key);
      }
      JsonNode doc;
      try {
        doc = Wire.MAPPER.readTree(Files.readString(file));
      } catch (IOException e) {
        throw new BadInput(file + " is not a readable JSON certificate: " + e.getMessage());
      }
      Certificates.Verification v = Certificates.verify(doc, keys, Credo.clock.instant());
      if (v.valid()) {
        JsonNode c = v.certificate().orElseThrow();
        var out = spec.commandLine().getOut();
        out.printf("valid: %s%n", v.message());
        out.printf("subject: %s%n", c.path("subject").asText());
        c.path("claims").forEach(claim -> out.printf("claim: %s%n", claim.asText()));
        return Credo.OK;
      }
      spec.commandLine().getErr().printf("not valid (%s): %s%n", v.reason(), v.message());
      return Credo.CHECK_FAILED;
    }
  }
}
