package org.credo.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/api.md's error table lists exactly the error codes the API can return: the {@code "error"}
 * of {@code {"error": code, "message": …}}. The codes are read from source text, wherever they sit,
 * so code moving between files or into the application layer does not matter:
 *
 * <ul>
 *   <li>the server's {@code new ApiException(status, code, …)}, {@code ApiException.badRequest /
 *       forbidden / notFound(code, …)}, {@code error(ctx, status, code, …)} and {@code case 413 ->
 *       "code"} (the HTTP errors the web server raises);
 *   <li>the application layer's refusals, {@code String code() { return …; }}, which the server
 *       renders with their own code;
 *   <li>the store's dispute and repair refusals, {@code new DisputeException(kind, code, …)} and
 *       their {@code bad(code, …)} helpers, which the server passes on.
 * </ul>
 *
 * A code argument may be any expression: every lower-case word literal in it counts (e.g. both
 * sides of a {@code ?:}).
 */
class ErrorCodesDocumentedTest {
  static final Path DOCS = Path.of("..", "docs", "api.md");
  static final List<Path> SOURCES =
      List.of(
          Path.of("src", "main", "java"),
          Path.of("..", "credo-app", "src", "main", "java"),
          Path.of("..", "credo-store", "src", "main", "java"));

  static final Pattern CODE = Pattern.compile("\"([a-z][a-z0-9_]*)\"");

  @Test
  void theErrorTableListsEveryCodeTheApiReturnsAndNoOther() {
    Map<String, Set<String>> returned = codesInSource();
    Set<String> documented = codesInDocs();
    assertThat(returned).as("codes found in the source").containsKeys("unauthenticated");
    Set<String> undocumented = new TreeSet<>(returned.keySet());
    undocumented.removeAll(documented);
    Map<String, Set<String>> where = new TreeMap<>(returned);
    where.keySet().retainAll(undocumented);
    assertThat(where)
        .as("codes returned (in these files) but not in docs/api.md's table")
        .isEmpty();
    Set<String> stale = new TreeSet<>(documented);
    stale.removeAll(returned.keySet());
    assertThat(stale).as("codes in docs/api.md's table that nothing returns").isEmpty();
  }

  @Test
  void theScannerFindsCodesInEveryShape() {
    String source =
        """
        throw new ApiException(409, "a_conflict", "message, with a comma");
        throw new ApiException(
            status,
            cond ? "one_way" : "other_way",
            "text");
        throw ApiException.badRequest("bad_thing", "x");
        ApiException.notFound(
            "no_thing", "there is no " + id);
        error(ctx, 429, "slow_down", r.getMessage());
        case 415 -> "wrong_type";
        // ApiException.badRequest("commented_out", "x");
        /* new ApiException(400, "also_commented", "x") */
        public String code() {
          return party.isPresent() ? "named_party" : "no_party";
        }
        public String message() { return "not_a_code"; }
        throw new DisputeException(DisputeException.Kind.CONFLICT, "closed_already", "m");
        throw bad("bad_field", "m");
        """;
    Map<String, Set<String>> found = new TreeMap<>();
    scan(source, "X.java", found);
    assertThat(found.keySet())
        .containsExactlyInAnyOrder(
            "a_conflict",
            "one_way",
            "other_way",
            "bad_thing",
            "no_thing",
            "slow_down",
            "wrong_type",
            "named_party",
            "no_party",
            "closed_already",
            "bad_field");
  }

  /** Every backquoted code in the status/codes table under "## Errors". */
  static Set<String> codesInDocs() {
    String doc = read(DOCS);
    int start = doc.indexOf("\n## Errors");
    assertThat(start).as("docs/api.md has an Errors section").isNotNegative();
    int end = doc.indexOf("\n## ", start + 1);
    String section = doc.substring(start, end < 0 ? doc.length() : end);
    Set<String> codes = new TreeSet<>();
    Pattern quoted = Pattern.compile("`([^`]+)`");
    for (String line : section.split("\n")) {
      String[] cells = line.split("\\|");
      if (!line.startsWith("|") || cells.length < 3 || !cells[1].strip().matches("\\d{3}")) {
        continue;
      }
      Matcher m = quoted.matcher(cells[2]);
      while (m.find()) {
        if (m.group(1).matches("[a-z][a-z0-9_]*")) {
          codes.add(m.group(1));
        }
      }
    }
    assertThat(codes).as("codes in docs/api.md's error table").isNotEmpty();
    return codes;
  }

  /** Each code, with the files that return it. */
  static Map<String, Set<String>> codesInSource() {
    Map<String, Set<String>> found = new TreeMap<>();
    for (Path root : SOURCES) {
      assertThat(root).as("source folder").isDirectory();
      try (Stream<Path> files = Files.walk(root)) {
        files
            .filter(f -> f.toString().endsWith(".java"))
            .forEach(f -> scan(read(f), f.getFileName().toString(), found));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return found;
  }

  static void scan(String text, String file, Map<String, Set<String>> found) {
    String s = withoutComments(text);
    // new ApiException(status, CODE, message)
    argument(s, "\\bnew\\s+ApiException\\s*\\(", 1, file, found);
    // ApiException.badRequest / forbidden / notFound(CODE, message)
    argument(
        s, "\\bApiException\\s*\\.\\s*(?:badRequest|forbidden|notFound)\\s*\\(", 0, file, found);
    // error(ctx, status, CODE, message): the exception mapper's own answers
    argument(s, "(?<![.\\w])error\\s*\\(", 2, file, found);
    // case 413 -> "body_too_large": the HTTP errors the web server raises
    Matcher cases = Pattern.compile("\\bcase\\s+\\d{3}\\s*->\\s*" + CODE.pattern()).matcher(s);
    while (cases.find()) {
      found.computeIfAbsent(cases.group(1), k -> new TreeSet<>()).add(file);
    }
    // the application layer's refusals: String code() { return …; }
    Matcher code = Pattern.compile("\\bString\\s+code\\s*\\(\\s*\\)\\s*\\{").matcher(s);
    while (code.find()) {
      int depth = 1;
      int i = code.end();
      while (depth > 0 && i < s.length()) {
        char c = s.charAt(i++);
        depth += c == '{' ? 1 : c == '}' ? -1 : 0;
      }
      literals(s.substring(code.end(), i), file, found);
    }
    // the store's dispute refusals: new DisputeException(kind, CODE, message), bad(CODE, message)
    if (s.contains("DisputeException")) {
      argument(s, "\\bnew\\s+DisputeException\\s*\\(", 1, file, found);
      argument(s, "(?<![.\\w])bad\\s*\\(", 0, file, found);
    }
  }

  /** The code literals in argument {@code index} of every call that {@code call} opens. */
  private static void argument(
      String s, String call, int index, String file, Map<String, Set<String>> found) {
    Matcher m = Pattern.compile(call).matcher(s);
    while (m.find()) {
      List<String> args = arguments(s, m.end());
      if (args.size() > index) {
        literals(args.get(index), file, found);
      }
    }
  }

  private static void literals(String expression, String file, Map<String, Set<String>> found) {
    Matcher m = CODE.matcher(expression);
    while (m.find()) {
      found.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(file);
    }
  }

  /** The top-level arguments of the call whose '(' ends just before {@code from}. */
  private static List<String> arguments(String s, int from) {
    List<String> args = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    int depth = 0;
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"') {
        int end = endOfString(s, i);
        current.append(s, i, end);
        i = end - 1;
        continue;
      }
      if (c == '\'') {
        int end = endOfChar(s, i);
        current.append(s, i, end);
        i = end - 1;
        continue;
      }
      if (c == '(' || c == '[' || c == '{') {
        depth++;
      } else if (c == ')' || c == ']' || c == '}') {
        if (depth == 0) {
          args.add(current.toString());
          return args;
        }
        depth--;
      } else if (c == ',' && depth == 0) {
        args.add(current.toString());
        current.setLength(0);
        continue;
      }
      current.append(c);
    }
    return args;
  }

  /** The index just after the string literal that opens at {@code start} (text blocks too). */
  private static int endOfString(String s, int start) {
    if (s.startsWith("\"\"\"", start)) {
      int end = s.indexOf("\"\"\"", start + 3);
      return end < 0 ? s.length() : end + 3;
    }
    int i = start + 1;
    while (i < s.length() && s.charAt(i) != '"' && s.charAt(i) != '\n') {
      i += s.charAt(i) == '\\' ? 2 : 1;
    }
    return Math.min(i + 1, s.length());
  }

  /** The index just after the char literal that opens at {@code start}, such as '"' or '\''. */
  private static int endOfChar(String s, int start) {
    int i = start + 1;
    if (i < s.length() && s.charAt(i) == '\\') {
      i++;
    }
    int end = s.indexOf('\'', i + 1);
    return end < 0 ? s.length() : end + 1;
  }

  /** The text without comments (string literals kept as they are). */
  static String withoutComments(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"') {
        int end = endOfString(s, i);
        out.append(s, i, end);
        i = end - 1;
      } else if (c == '\'') {
        int end = endOfChar(s, i);
        out.append(s, i, end);
        i = end - 1;
      } else if (s.startsWith("//", i)) {
        int end = s.indexOf('\n', i);
        i = (end < 0 ? s.length() : end) - 1;
      } else if (s.startsWith("/*", i)) {
        int end = s.indexOf("*/", i + 2);
        i = (end < 0 ? s.length() : end + 2) - 1;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
