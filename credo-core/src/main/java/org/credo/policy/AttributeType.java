package org.credo.policy;

import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;

/** The type of a record attribute a rule declares: numbers are read as doubles. */
public enum AttributeType {
  NUMBER("number", SimpleType.DOUBLE, Double.class),
  STRING("string", SimpleType.STRING, String.class),
  BOOL("bool", SimpleType.BOOL, Boolean.class);

  private final String word;
  private final CelType celType;
  private final Class<?> javaType;

  AttributeType(String word, CelType celType, Class<?> javaType) {
    this.word = word;
    this.celType = celType;
    this.javaType = javaType;
  }

  CelType celType() {
    return celType;
  }

  /** True when {@code value} (as stored in a record) is of this type. */
  public boolean accepts(Object value) {
    return javaType.isInstance(value);
  }

  public String word() {
    return word;
  }

  /** Parses {@code number}, {@code string} or {@code bool}. */
  public static AttributeType parse(String word) {
    for (AttributeType type : values()) {
      if (type.word.equals(word)) {
        return type;
      }
    }
    throw new IllegalArgumentException(
        "attribute type '" + word + "' is not number, string or bool");
  }
}
