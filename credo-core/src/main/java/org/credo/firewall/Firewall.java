package org.credo.firewall;

import static java.util.Objects.requireNonNull;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The check every name and description passes before Credo will hold or score it (SPEC §4.1): the
 * shipped {@link Lexicon}, less the reviewed {@link Exemption}s of the active catalogue. A policy
 * read without a catalogue gets no exemptions at all.
 */
public final class Firewall {
  private static volatile Firewall strict;

  private final Lexicon lexicon;
  private final Map<String, Exemption> exemptions;

  private Firewall(Lexicon lexicon, Map<String, Exemption> exemptions) {
    this.lexicon = requireNonNull(lexicon, "lexicon is null");
    this.exemptions = Collections.unmodifiableMap(exemptions);
  }

  /** The shipped lexicon with no exemptions. */
  public static Firewall strict() {
    Firewall f = strict;
    if (f == null) {
      f = new Firewall(Lexicon.shipped(), Map.of());
      strict = f;
    }
    return f;
  }

  /** The shipped lexicon less {@code exemptions}. */
  public static Firewall withExemptions(Collection<Exemption> exemptions) {
    return of(Lexicon.shipped(), exemptions);
  }

  public static Firewall of(Lexicon lexicon, Collection<Exemption> exemptions) {
    Map<String, Exemption> byName = new TreeMap<>();
    for (Exemption e : exemptions) {
      byName.put(e.name(), e);
    }
    return new Firewall(lexicon, byName);
  }

  public Lexicon lexicon() {
    return lexicon;
  }

  /** The exemptions, by the name each covers. */
  public Map<String, Exemption> exemptions() {
    return exemptions;
  }

  /** The term that refuses {@code name}, if any: the longest one no exemption of it allows. */
  public Optional<LexiconMatch> name(String name) {
    return first(lexicon.inName(name), name, null);
  }

  /**
   * As {@link #name(String)}, for a name inside {@code owner} (an attribute or a value of a
   * catalogue entry): an exemption of the owner covers it too.
   */
  public Optional<LexiconMatch> nameIn(String owner, String name) {
    return first(lexicon.inName(name), name, owner);
  }

  /** The term that refuses a description of {@code owner}, if any. */
  public Optional<LexiconMatch> prose(String owner, String text) {
    return first(lexicon.inProse(text), null, owner);
  }

  private Optional<LexiconMatch> first(List<LexiconMatch> matches, String name, String owner) {
    for (LexiconMatch m : matches) {
      if (!allowed(name, m) && !allowed(owner, m)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  private boolean allowed(String name, LexiconMatch m) {
    if (name == null) {
      return false;
    }
    Exemption e = exemptions.get(name);
    return e != null && e.allows().contains(m.term());
  }
}
