package org.credo.ingest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The physical lines of an input, one at a time: a line ends at {@code \n} (a {@code \r} before it
 * is dropped), and a UTF-8 byte-order mark at the very start is skipped. Read from bytes, each line
 * is decoded as UTF-8 on its own, strictly: a line with bytes that are not UTF-8 is reported as
 * such (and the next line read as usual), never replaced with U+FFFD and never the end of the
 * input. {@code credo import} and {@code POST /v1/records} (NDJSON) read their lines through it.
 */
public abstract class Lines {
  /** One line: its text, or why its bytes are not text (then {@code text} is null). */
  public record Line(String text, String undecodable) {}

  private boolean first = true;

  /** The next line, or null at the end. */
  public final Line next() throws IOException {
    Line line = read();
    if (line != null && first) {
      first = false;
      if (line.text() != null && line.text().startsWith("\uFEFF")) {
        return new Line(line.text().substring(1), null);
      }
    }
    return line;
  }

  abstract Line read() throws IOException;

  /** Lines of text already decoded. */
  static Lines of(Reader reader) {
    BufferedReader in =
        reader instanceof BufferedReader b ? b : new BufferedReader(reader, 1 << 16);
    return new Lines() {
      @Override
      Line read() throws IOException {
        String s = in.readLine();
        return s == null ? null : new Line(s, null);
      }
    };
  }

  /** Lines of UTF-8 bytes, each decoded on its own. */
  public static Lines ofUtf8(InputStream input) {
    return new Lines() {
      private byte[] buf = new byte[1 << 16];
      private int start;
      private int end;
      private boolean eof;
      private final CharsetDecoder utf8 =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT);

      @Override
      Line read() throws IOException {
        int scan = start;
        while (true) {
          for (; scan < end; scan++) {
            if (buf[scan] == '\n') {
              Line line = line(start, scan);
              start = scan + 1;
              return line;
            }
          }
          if (eof) {
            if (start == end) {
              return null;
            }
            Line line = line(start, end);
            start = end;
            return line;
          }
          // Keep the partial line, then read more after it.
          int kept = end - start;
          if (kept == buf.length) {
            buf = java.util.Arrays.copyOf(buf, buf.length * 2);
          } else if (start > 0) {
            System.arraycopy(buf, start, buf, 0, kept);
          }
          start = 0;
          end = kept;
          scan = kept;
          int n = input.read(buf, end, buf.length - end);
          if (n < 0) {
            eof = true;
          } else {
            end += n;
          }
        }
      }

      private Line line(int from, int to) {
        int n = to > from && buf[to - 1] == '\r' ? to - 1 : to;
        return decode(utf8, buf, from, n);
      }
    };
  }

  /** Decodes {@code n} bytes strictly; a line that is not UTF-8 says where. */
  static Line decode(CharsetDecoder utf8, byte[] bytes, int from, int to) {
    boolean ascii = true;
    for (int i = from; i < to && ascii; i++) {
      ascii = bytes[i] >= 0;
    }
    if (ascii) {
      return new Line(new String(bytes, from, to - from, StandardCharsets.ISO_8859_1), null);
    }
    utf8.reset();
    ByteBuffer in = ByteBuffer.wrap(bytes, from, to - from);
    try {
      CharBuffer out = utf8.decode(in);
      return new Line(out.toString(), null);
    } catch (CharacterCodingException e) {
      return new Line(
          null,
          "the line is not UTF-8 text (bad bytes at byte " + (in.position() - from + 1) + ")");
    }
  }
}
