package org.credo.cli;

import java.io.BufferedWriter;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.credo.app.records.RecordIntake;
import org.credo.ingest.ImportException;
import org.credo.ingest.ImportSummary;
import org.credo.ingest.Importer;
import org.credo.records.SourceId;
import org.credo.store.StoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code credo import FILE}: bulk import with progress, a summary and a rejects file. */
@Command(
    name = "import",
    description =
        "Import records from NDJSON or CSV. Rejected lines go to a rejects file with their line"
            + " number and reason; importing the same file again changes nothing. A record whose"
            + " source and id are already stored with other content is a conflict, not a"
            + " duplicate. Exits 0 when every line was accepted or a duplicate, 1 when any was"
            + " rejected or a conflict (the others are stored all the same).")
final class ImportCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin DataOption data;

  @Parameters(index = "0", paramLabel = "FILE")
  Path file;

  @Option(names = "--source", paramLabel = "S", description = "the source of every record")
  String source;

  @Option(
      names = "--format",
      paramLabel = "ndjson|csv",
      description = "input format (default: from the file name, .csv is CSV)")
  String format;

  @Option(
      names = "--allow-unknown-types",
      description = "keep records of types no active policy knows (they score zero)")
  boolean allowUnknown;

  @Option(
      names = "--rejects",
      paramLabel = "FILE",
      description = "where to write rejected lines (default: FILE.rejects.txt beside the input)")
  Path rejectsFile;

  @Override
  public Integer call() throws IOException {
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new BadInput(file + ": no such readable file");
    }
    Importer.Format fmt;
    try {
      fmt =
          format == null
              ? Importer.Format.ofFileName(file.toString())
              : Importer.Format.parse(format);
    } catch (IllegalArgumentException e) {
      throw new BadInput(e.getMessage());
    }
    Optional<SourceId> implied;
    try {
      implied = Optional.ofNullable(source).map(SourceId::of);
    } catch (IllegalArgumentException e) {
      throw new BadInput(e.getMessage());
    }
    Path rejects = rejectsFile != null ? rejectsFile : Path.of(file + ".rejects.txt");
    Path rejectsTemp = rejects.resolveSibling(rejects.getFileName() + ".partial");
    long size = Files.size(file);
    PrintWriter out = spec.commandLine().getOut();
    try (CliApplication cli = CliApplication.open(data)) {
      RecordIntake intake = cli.app().recordIntake();
      boolean anyPolicy = intake.anyPolicyActive();
      long[] rejected = {0};
      ImportSummary summary;
      // Read as bytes: each line is decoded on its own, and one that is not UTF-8 is a rejected
      // line with its number (the import goes on).
      try (Counting counting = new Counting(Files.newInputStream(file));
          BufferedWriter rejectOut = Files.newBufferedWriter(rejectsTemp, StandardCharsets.UTF_8);
          Progress progress = new Progress(size, counting, out)) {
        summary =
            intake.importFile(
                counting,
                fmt,
                new RecordIntake.FileOptions(implied, allowUnknown),
                CliAudit.actor(),
                r -> {
                  rejected[0]++;
                  try {
                    rejectOut.write(file + ":" + r.line() + ": " + r.reason());
                    rejectOut.newLine();
                  } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                },
                progress::update);
      } catch (ImportException e) {
        Files.deleteIfExists(rejectsTemp);
        throw new BadInput(file + ": " + e.getMessage());
      } catch (StoreException e) {
        Files.deleteIfExists(rejectsTemp);
        throw new BadInput(e.getMessage());
      }
      if (rejected[0] > 0) {
        Files.move(
            rejectsTemp,
            rejects,
            StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
      } else {
        Files.deleteIfExists(rejectsTemp);
      }
      out.println("imported " + file + ": " + summary);
      if (rejected[0] > 0) {
        out.println("rejected lines, with their number and reason: " + rejects);
      }
      if (!anyPolicy) {
        out.println("note: no policy is active; activate one with: credo policy activate FILE");
      }
      // The accepted lines are stored either way; a line refused (or in conflict) fails the check.
      return summary.clean() ? Credo.OK : Credo.CHECK_FAILED;
    }
  }

  /** Counts the bytes read, for the progress bar. */
  static final class Counting extends FilterInputStream {
    volatile long count;

    Counting(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }

  /** A progress bar on a terminal; plain progress lines every few seconds otherwise. */
  static final class Progress implements AutoCloseable {
    private final long size;
    private final Counting counting;
    private final PrintWriter out;
    private final ProgressBar bar;
    private long lastPrinted = System.nanoTime();

    Progress(long size, Counting counting, PrintWriter out) {
      this.size = Math.max(1, size);
      this.counting = counting;
      this.out = out;
      this.bar =
          System.console() != null
              ? new ProgressBarBuilder()
                  .setTaskName("import")
                  .setInitialMax(this.size)
                  .setUnit(" MB", 1 << 20)
                  .setStyle(ProgressBarStyle.ASCII)
                  .build()
              : null;
    }

    void update(long lines) {
      if (bar != null) {
        bar.stepTo(counting.count);
        bar.setExtraMessage(lines + " lines");
      } else if (System.nanoTime() - lastPrinted > 2_000_000_000L) {
        lastPrinted = System.nanoTime();
        out.printf("  %d lines, %d%%%n", lines, counting.count * 100 / size);
        out.flush();
      }
    }

    @Override
    public void close() {
      if (bar != null) {
        bar.stepTo(size);
        bar.close();
      }
    }
  }
}
