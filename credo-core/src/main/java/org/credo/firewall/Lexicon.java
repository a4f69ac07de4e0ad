package org.credo.firewall;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The curated terms for the categories Credo never scores — protected characteristics and their
 * proxies, and other people — read from {@code catalogue/lexicon.yaml}, which ships inside the
 * engine (see that file for its sources and how terms match).
 *
 * <p>Lookups are by hash (words), by a three-letter index (stems) and by first character (Chinese
 * terms), so checking a name costs about its length, not the lexicon's size.
 */
public final class Lexicon {
  /** Where the shipped lexicon lives on the class path. */
  public static final String SHIPPED = "/org/credo/firewall/lexicon.yaml";

  private static final Pattern CAMEL = Pattern.compile("(?<=[a-z])(?=[A-Z])");
  private static final Pattern NOT_LATIN = Pattern.compile("[^a-z]+");
  private static volatile Lexicon shipped;

  private final String name;
  private final int version;
  private final Map<String, Category> categories;
  private final Map<String, Term> words = new HashMap<>();
  private final List<Term> phrases = new ArrayList<>();
  private final Map<String, List<Term>> stems = new HashMap<>();
  private final Map<Character, List<Term>> han = new HashMap<>();
  private int termCount;

  /** A category: its id, its label in words, and the ids of the sources that define it. */
  public record Category(String id, String label, List<String> sources) {}

  /** A term; {@code joined} is its words run together (a phrase also matches that way). */
  private record Term(String text, String[] tokens, String joined, Category category) {
    LexiconMatch match() {
      return new LexiconMatch(category.id(), category.label(), text);
    }
  }

  private Lexicon(String name, int version, Map<String, Category> categories) {
    this.name = name;
    this.version = version;
    this.categories = Collections.unmodifiableMap(categories);
  }

  /** The lexicon shipped with this engine. */
  public static Lexicon shipped() {
    Lexicon l = shipped;
    if (l == null) {
      // The lexicon is part of the engine's code, packed beside its classes: reading it is not
      // reading the outside world, and it is read once.
      try (InputStream in = Lexicon.class.getResourceAsStream(SHIPPED)) {
        if (in == null) {
          throw new IllegalStateException("the shipped lexicon " + SHIPPED + " is missing");
        }
        l = parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new IllegalStateException("the shipped lexicon cannot be read: " + e.getMessage(), e);
      }
      shipped = l;
    }
    return l;
  }

  /**
   * A lexicon from its YAML text.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  @SuppressWarnings("unchecked")
  public static Lexicon parse(String yaml) {
    Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    if (!(root instanceof Map<?, ?> top)) {
      throw new IllegalArgumentException("a lexicon is a mapping");
    }
    Map<String, Object> sources = (Map<String, Object>) top.get("sources");
    Map<String, Category> categories = new LinkedHashMap<>();
    List<Map<String, Object>> cats = (List<Map<String, Object>>) top.get("categories");
    if (cats == null || sources == null) {
      throw new IllegalArgumentException("a lexicon has sources and categories");
    }
    Lexicon out =
        new Lexicon(
            String.valueOf(top.get("lexicon")),
            ((Number) top.get("version")).intValue(),
            categories);
    for (Map<String, Object> c : cats) {
      String id = String.valueOf(c.get("id"));
      List<String> from = (List<String>) c.getOrDefault("sources", List.of());
      for (String s : from) {
        if (!sources.containsKey(s)) {
          throw new IllegalArgumentException("category " + id + " cites unknown source " + s);
        }
      }
      if (from.isEmpty()) {
        throw new IllegalArgumentException("category " + id + " cites no source");
      }
      Category category = new Category(id, String.valueOf(c.get("label")), List.copyOf(from));
      categories.put(id, category);
      for (Object w : (List<Object>) c.getOrDefault("words", List.of())) {
        out.addWord(String.valueOf(w), category);
      }
      for (Object s : (List<Object>) c.getOrDefault("stems", List.of())) {
        out.addStem(String.valueOf(s), category);
      }
      for (Object h : (List<Object>) c.getOrDefault("han", List.of())) {
        String text = String.valueOf(h);
        out.han
            .computeIfAbsent(text.charAt(0), k -> new ArrayList<>())
            .add(new Term(text, new String[0], text, category));
        out.termCount++;
      }
    }
    return out;
  }

  private void addWord(String text, Category category) {
    String[] tokens = text.toLowerCase(Locale.ROOT).split(" ");
    for (String t : tokens) {
      if (!t.matches("[a-z]+")) {
        throw new IllegalArgumentException("term '" + text + "' is not lower-case Latin words");
      }
    }
    Term term = new Term(text, tokens, String.join("", tokens), category);
    if (tokens.length == 1) {
      words.putIfAbsent(tokens[0], term);
    } else {
      phrases.add(term);
    }
    termCount++;
  }

  private void addStem(String text, Category category) {
    if (!text.matches("[a-z]{5,}")) {
      throw new IllegalArgumentException(
          "stem '" + text + "' must be at least five lower-case letters");
    }
    stems
        .computeIfAbsent(text.substring(0, 3), k -> new ArrayList<>())
        .add(new Term(text, new String[] {text}, text, category));
    termCount++;
  }

  public String name() {
    return name;
  }

  public int version() {
    return version;
  }

  /** The categories, in the file's order. */
  public Map<String, Category> categories() {
    return categories;
  }

  /** How many terms the lexicon holds. */
  public int size() {
    return termCount;
  }

  /**
   * Every term found in a name (a record type, attribute, value, domain, list, factor or purpose):
   * words, phrases (also run together), stems anywhere once separators are removed, Chinese terms
   * anywhere. Longest term first.
   */
  public List<LexiconMatch> inName(String name) {
    String[] tokens = tokens(name);
    List<LexiconMatch> out = new ArrayList<>(0);
    matchWords(tokens, out);
    String joined = String.join("", tokens);
    for (Term p : phrases) {
      if (joined.contains(p.joined())) {
        add(out, p);
      }
    }
    matchStems(joined, out);
    matchHan(name, out);
    out.sort((a, b) -> b.term().length() - a.term().length());
    return out;
  }

  /**
   * Every term found in prose (a description): words and phrases as in a name, stems inside one
   * word only, Chinese terms anywhere. Longest term first.
   */
  public List<LexiconMatch> inProse(String text) {
    String[] tokens = tokens(text);
    List<LexiconMatch> out = new ArrayList<>(0);
    matchWords(tokens, out);
    for (String t : tokens) {
      matchStems(t, out);
    }
    matchHan(text, out);
    out.sort((a, b) -> b.term().length() - a.term().length());
    return out;
  }

  private static String[] tokens(String text) {
    String lower = CAMEL.matcher(text).replaceAll(" ").toLowerCase(Locale.ROOT);
    return java.util.Arrays.stream(NOT_LATIN.split(lower))
        .filter(t -> !t.isEmpty())
        .toArray(String[]::new);
  }

  private void matchWords(String[] tokens, List<LexiconMatch> out) {
    for (String t : tokens) {
      Term term = word(t);
      if (term != null) {
        add(out, term);
      }
    }
    for (Term p : phrases) {
      String[] ph = p.tokens();
      for (int i = 0; i + ph.length <= tokens.length; i++) {
        boolean all = true;
        for (int j = 0; j < ph.length && all; j++) {
          all = j == ph.length - 1 ? same(tokens[i + j], ph[j]) : tokens[i + j].equals(ph[j]);
        }
        if (all) {
          add(out, p);
          break;
        }
      }
    }
  }

  /** The word term a token is, ignoring a trailing {@code s} or {@code es}. */
  private Term word(String token) {
    Term t = words.get(token);
    if (t == null && token.endsWith("s")) {
      t = words.get(token.substring(0, token.length() - 1));
      if (t == null && token.endsWith("es")) {
        t = words.get(token.substring(0, token.length() - 2));
      }
    }
    return t;
  }

  private static boolean same(String token, String term) {
    return token.equals(term) || token.equals(term + "s") || token.equals(term + "es");
  }

  private void matchStems(String text, List<LexiconMatch> out) {
    for (int i = 0; i + 5 <= text.length(); i++) {
      List<Term> candidates = stems.get(text.substring(i, i + 3));
      if (candidates != null) {
        for (Term s : candidates) {
          if (text.startsWith(s.text(), i)) {
            add(out, s);
          }
        }
      }
    }
  }

  private void matchHan(String text, List<LexiconMatch> out) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x2E80) {
        continue;
      }
      List<Term> candidates = han.get(c);
      if (candidates != null) {
        for (Term h : candidates) {
          if (text.startsWith(h.text(), i)) {
            add(out, h);
          }
        }
      }
    }
  }

  private static void add(List<LexiconMatch> out, Term term) {
    for (LexiconMatch m : out) {
      if (m.term().equals(term.text())) {
        return;
      }
    }
    out.add(term.match());
  }

  @Override
  public String toString() {
    return name + " v" + version + " (" + termCount + " terms)";
  }
}
