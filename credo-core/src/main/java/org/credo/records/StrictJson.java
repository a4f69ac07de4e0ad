package org.credo.records;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.regex.Pattern;

/**
 * How every intake reads JSON — a record over HTTP or in a file, a request body: a second value
 * after the first (trailing data) is refused, a key given twice is refused (not "the last one
 * wins"), and errors are told in the input's terms, never in a library's class or method names.
 */
public final class StrictJson {
  /**
   * A mapper that refuses trailing data and duplicate keys; otherwise Jackson's defaults. Duplicate
   * keys are caught as the tree is built (the object's map already says a key was there), which
   * costs nothing per key, unlike the parser's own duplicate detection (a set per object: 11 % of
   * an import's speed).
   */
  public static ObjectMapper mapper() {
    return JsonMapper.builder()
        .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .build();
  }

  private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '([^']*)'");
  private static final Pattern CODE_NAMES =
      Pattern.compile("\\s*\\(?`?[a-z]+(\\.[a-zA-Z_$]+)+`?\\)?");

  private StrictJson() {}

  /** One line for a person: what is wrong with the JSON, without Jackson's internals. */
  public static String problem(JsonProcessingException e) {
    String m = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    var duplicate = DUPLICATE.matcher(m);
    if (duplicate.find()) {
      return "field '" + duplicate.group(1) + "' appears twice";
    }
    if (m.startsWith("Trailing token")) {
      return "more data after the JSON value (send one value, or one object a line for NDJSON)";
    }
    if (e instanceof StreamConstraintsException || m.contains("StreamReadConstraints")) {
      if (m.contains("nesting depth")) {
        return "the JSON is nested too deeply";
      }
      if (m.contains("String value length")) {
        return "a string in the JSON is too long";
      }
      if (m.contains("Number value length")) {
        return "a number in the JSON has too many digits";
      }
      return "the JSON exceeds a size limit";
    }
    return forPeople(m.lines().findFirst().orElse("not JSON"));
  }

  /**
   * A library's message without the class and method names it mentions (e.g. {@code
   * `com.fasterxml…JsonNode`}), at most 200 characters: for any parser's error told to a person.
   */
  public static String forPeople(String message) {
    String line = CODE_NAMES.matcher(message).replaceAll("");
    return line.length() > 200 ? line.substring(0, 200) : line;
  }
}
