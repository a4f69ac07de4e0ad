package org.credo.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.credo.catalogue.AttributeSchema;
import org.credo.catalogue.Catalogue;
import org.credo.catalogue.CatalogueEntry;
import org.credo.catalogue.CatalogueException;
import org.credo.catalogue.CatalogueReader;
import org.credo.firewall.Firewall;
import org.credo.firewall.LexiconMatch;
import org.credo.store.Catalogues;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The firewall's lexicon over a 500-type catalogue: the shipped 56 types and 444 renamed copies of
 * those that need no exemption ({@code court.judgment_defaulter_v7}…), each with its domain,
 * attributes, values and description — the checks {@code CatalogueReader} makes at every read.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LexiconBenchmark {
  String yaml;
  Catalogue catalogue;
  Firewall firewall;

  @Setup
  public void setUp() throws CatalogueException {
    String shipped = Catalogues.shippedYaml();
    Catalogue base = CatalogueReader.read("credo-default.yaml", shipped);
    StringBuilder b = new StringBuilder(shipped);
    if (!shipped.endsWith("\n")) {
      b.append('\n');
    }
    // Copy the entries section, renaming each type that needs no exemption.
    String entries = shipped.substring(shipped.indexOf("\nentries:\n") + "\nentries:\n".length());
    String[] items = entries.split("\n(?=  - type: )");
    int added = 0;
    for (int copy = 1; added < 500 - base.entries().size(); copy++) {
      for (String item : items) {
        if (!item.startsWith("  - type: ") || added >= 500 - base.entries().size()) {
          continue;
        }
        String type = item.substring(10, item.indexOf('\n')).strip();
        if (base.exemptions().stream().anyMatch(e -> e.name().equals(type))) {
          continue;
        }
        b.append(
            item.replaceFirst(
                    "  - type: " + java.util.regex.Pattern.quote(type),
                    "  - type: " + type + "_v" + copy)
                .replaceAll("(?m)^  #.*\\n", ""));
        b.append('\n');
        added++;
      }
    }
    yaml = b.toString();
    catalogue = CatalogueReader.read("five-hundred.yaml", yaml);
    if (catalogue.entries().size() != 500) {
      throw new IllegalStateException("built " + catalogue.entries().size() + " types, not 500");
    }
    firewall = catalogue.firewall();
  }

  /** The lexicon alone: every name, attribute, value and description of the 500 types. */
  @Benchmark
  public List<LexiconMatch> lexiconCheckOf500Types() {
    List<LexiconMatch> out = new ArrayList<>();
    for (CatalogueEntry e : catalogue.entries().values()) {
      String type = e.type().value();
      add(out, firewall.name(type));
      add(out, firewall.nameIn(type, e.domain().name()));
      for (AttributeSchema a : e.attributes()) {
        add(out, firewall.nameIn(type, a.name()));
        for (String v : a.values()) {
          add(out, firewall.nameIn(type, v));
        }
      }
      add(out, firewall.prose(type, e.description()));
    }
    if (!out.isEmpty()) {
      throw new IllegalStateException("the 500 types should pass: " + out);
    }
    return out;
  }

  /** Reading the whole 500-type catalogue: YAML, every field, the schema and the lexicon. */
  @Benchmark
  public Catalogue read500TypeCatalogue() throws CatalogueException {
    return CatalogueReader.read("five-hundred.yaml", yaml);
  }

  private static void add(List<LexiconMatch> out, Optional<LexiconMatch> m) {
    m.ifPresent(out::add);
  }
}
