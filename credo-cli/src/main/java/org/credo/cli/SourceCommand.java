package org.credo.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.credo.records.SourceId;
import org.credo.store.SourceRegistration;
import org.credo.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code credo source add|list}. */
@Command(
    name = "source",
    description = "Register data providers and the record types they may submit.",
    subcommands = {SourceCommand.Add.class, SourceCommand.ListSources.class})
final class SourceCommand implements Runnable {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "add", description = "Register a source, or change the types it may submit.")
  static final class Add implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin DataOption data;

    @Parameters(index = "0", paramLabel = "ID", description = "the source id, e.g. city-bank")
    String id;

    @Option(
        names = "--types",
        required = true,
        split = ",",
        paramLabel = "PREFIX",
        description = "record type prefixes it may submit, e.g. bank,loan or court")
    List<String> types;

    @Override
    public Integer call() {
      SourceRegistration source;
      try {
        source = new SourceRegistration(SourceId.of(id), types, Credo.clock.instant());
      } catch (IllegalArgumentException e) {
        throw new BadInput(e.getMessage());
      }
      try (Store store = data.open()) {
        store.putSource(source);
        CliAudit.record(
            store,
            "source.add",
            null,
            "source=" + source.id() + " types=" + String.join(",", source.typePrefixes()));
      }
      spec.commandLine()
          .getOut()
          .printf(
              "source %s may submit %s%n", source.id(), String.join(", ", source.typePrefixes()));
      return Credo.OK;
    }
  }

  @Command(name = "list", description = "List the registered sources.")
  static final class ListSources implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin DataOption data;

    @Override
    public Integer call() {
      try (Store store = data.open()) {
        for (SourceRegistration s : store.sources()) {
          spec.commandLine()
              .getOut()
              .printf("%-24s %s%n", s.id(), String.join(", ", s.typePrefixes()));
        }
      }
      return Credo.OK;
    }
  }
}
