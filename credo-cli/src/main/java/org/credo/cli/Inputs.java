package org.credo.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.credo.policy.Policy;
import org.credo.policy.PolicyException;
import org.credo.policy.PolicyLoader;
import org.credo.records.Record;
import org.credo.records.RecordFormatException;
import org.credo.records.RecordJson;

/** Reads the files commands are given; every problem becomes a one-line {@link BadInput}. */
final class Inputs {
  private Inputs() {}

  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new BadInput(file + ": no such file");
    } catch (java.nio.charset.MalformedInputException e) {
      throw new BadInput(file + ": not UTF-8 text");
    } catch (IOException e) {
      throw new BadInput(file + ": cannot read: " + e.getMessage());
    }
  }

  static Policy policy(Path file) {
    try {
      // Names pass the firewall under the shipped catalogue's exemptions, as in a new store.
      return PolicyLoader.load(
          file.toString(), read(file), org.credo.store.Catalogues.shipped().firewall());
    } catch (PolicyException e) {
      throw new BadInput(e.getMessage());
    }
  }

  /**
   * Reads NDJSON records (blank lines and lines starting with {@code #} are skipped). A record's
   * own {@code learned} time is used if it has one, else its {@code occurred} time.
   */
  static List<Record> records(Path file, Instant now) {
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return records(file.toString(), reader, now);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new BadInput(file + ": no such file");
    } catch (java.nio.charset.MalformedInputException e) {
      throw new BadInput(file + ": not UTF-8 text");
    } catch (IOException e) {
      throw new BadInput(file + ": cannot read: " + e.getMessage());
    }
  }

  /** Reads NDJSON records from {@code reader}; problems name {@code name} and the line. */
  static List<Record> records(String name, BufferedReader reader, Instant now) throws IOException {
    List<Record> records = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    String line;
    int number = 0;
    while ((line = reader.readLine()) != null) {
      number++;
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      try {
        Record record = RecordJson.parse(line, Optional.empty(), null, now);
        if (!keys.add(record.key())) {
          throw new RecordFormatException("record " + record.key() + " appears twice");
        }
        records.add(record);
      } catch (RecordFormatException e) {
        throw new BadInput(name + ":" + number + ": " + e.getMessage());
      }
    }
    return records;
  }

  static Instant time(String option, String text) {
    try {
      return RecordJson.parseTime(option, text);
    } catch (RecordFormatException e) {
      throw new BadInput(e.getMessage());
    }
  }
}
