package org.credo.generate;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code credo generate --subjects N [--seed S] --out FILE}: writes a synthetic population as
 * NDJSON records. The file is written to a temporary file in the same folder and moved into place
 * only when complete, so a failure leaves nothing half-written behind.
 */
@Command(
    name = "generate",
    description =
        "Write a synthetic population (persons and organisations with about 20 records each over"
            + " the last five years) as NDJSON records. The same seed gives the same file.")
public final class GenerateCommand implements Callable<Integer> {
  private static final int OK = 0;
  private static final int BAD_INPUT = 2;

  /** The clock "now" is read from; tests may set it. Null means the system clock (UTC). */
  static Clock clock;

  @Spec CommandSpec spec;

  @Option(
      names = "--subjects",
      required = true,
      paramLabel = "N",
      description = "how many subjects to generate (at least 1)")
  long subjects;

  @Option(
      names = "--seed",
      paramLabel = "S",
      defaultValue = "1",
      description = "random seed (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description = "the NDJSON file to write (replaced if it exists)")
  Path out;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    if (subjects < 1 || subjects > Population.MAX_SUBJECTS) {
      err.println(
          "credo: --subjects must be between 1 and "
              + Population.MAX_SUBJECTS
              + ", not "
              + subjects);
      return BAD_INPUT;
    }
    Path target = out.toAbsolutePath().normalize();
    Path folder = target.getParent();
    if (folder == null || !Files.isDirectory(folder)) {
      err.println("credo: " + out + ": no such folder " + folder);
      return BAD_INPUT;
    }
    if (Files.isDirectory(target)) {
      err.println("credo: " + out + ": is a folder");
      return BAD_INPUT;
    }
    Instant now = (clock != null ? clock : Clock.systemUTC()).instant();
    now = now.truncatedTo(ChronoUnit.SECONDS);
    Path temp = null;
    Population.Summary summary;
    try {
      // Not Files.createTempFile: its owner-only permissions would survive the move.
      temp =
          folder.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
      summary = Population.writeFile(subjects, seed, now, temp, line -> {});
      move(temp, target);
      temp = null;
    } catch (IOException | UncheckedIOException e) {
      IOException cause = e instanceof UncheckedIOException u ? u.getCause() : (IOException) e;
      err.println("credo: cannot write " + out + ": " + describe(cause));
      return BAD_INPUT;
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // best effort: the temporary file is hidden and named after the target
        }
      }
    }
    spec.commandLine()
        .getOut()
        .printf(
            Locale.ROOT,
            "generated %s (%s, %s), %s (seed %d) -> %s%n",
            count(summary.subjects(), "subject"),
            count(summary.persons(), "person"),
            count(summary.organisations(), "organisation"),
            count(summary.records(), "record"),
            seed,
            out);
    return OK;
  }

  private static String count(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static String describe(IOException e) {
    String message = e.getMessage();
    String kind = e.getClass().getSimpleName();
    return message == null ? kind : kind + ": " + message;
  }
}
