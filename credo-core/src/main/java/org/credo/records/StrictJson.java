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

  /**
   * Whether a string is Unicode text: every surrogate in a pair. JSON's {@code \\ud800} escapes can
   * name half a pair, which no UTF-8 encoder can store faithfully.
   */
  public static boolean wellFormed(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The text of a JSON document sent as bytes, which must be UTF-8 (RFC 8259 §8.1): a byte that is
   * not — including an overlong form, a surrogate's encoding or UTF-16 — is refused with its
   * offset, never replaced or guessed. A byte order mark at the start is skipped.
   *
   * @throws NotUtf8 naming the first bad byte's offset
   */
  public static String utf8(byte[] bytes) {
    int from =
        bytes.length >= 3
                && (bytes[0] & 0xff) == 0xef
                && (bytes[1] & 0xff) == 0xbb
                && (bytes[2] & 0xff) == 0xbf
            ? 3
            : 0;
    java.nio.charset.CharsetDecoder d =
        java.nio.charset.StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
            .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
    java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes, from, bytes.length - from);
    java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length);
    java.nio.charset.CoderResult r = d.decode(in, out, true);
    if (!r.isError()) {
      r = d.flush(out);
    }
    if (r.isError()) {
      throw new NotUtf8(
          "the body is not UTF-8: the byte at offset "
              + in.position()
              + " cannot start or continue a character");
    }
    out.flip();
    return out.toString();
  }

  /** Bytes that are not UTF-8. */
  public static final class NotUtf8 extends RuntimeException {
    NotUtf8(String message) {
      super(message, null, false, false);
    }
  }

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
