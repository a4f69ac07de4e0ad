package org.credo.policy;

import static java.util.Objects.requireNonNull;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A policy expression, type-checked and compiled once when the policy loads (Google's Common
 * Expression Language: side-effect free, always terminates).
 *
 * <p>{@link #reads()} says which variables it reads and, for {@code lists}, {@code factors} and
 * {@code records}, which names it reads literally — the loader uses it to enforce purpose binding
 * statically.
 */
public final class Expression {
  private final String source;
  private final CelRuntime.Program program;
  private final Reads reads;
  private final Map<Object, Boolean> memo = new ConcurrentHashMap<>();
  private static final int MEMO_LIMIT = 4096;

  Expression(String source, CelRuntime.Program program, Reads reads) {
    this.source = requireNonNull(source, "source is null");
    this.program = requireNonNull(program, "program is null");
    this.reads = requireNonNull(reads, "reads is null");
  }

  /**
   * What an expression reads.
   *
   * @param variables the top-level variables it names
   * @param names for {@code lists}, {@code factors} and {@code records}, the names it reads
   *     literally ({@code 'x' in lists}, {@code factors.x}, {@code records['a.b']})
   * @param whole the collection variables it reads as a whole (not by a literal name)
   */
  public record Reads(Set<String> variables, Map<String, Set<String>> names, Set<String> whole) {
    public Reads {
      variables = Set.copyOf(variables);
      names = Map.copyOf(names);
      whole = Set.copyOf(whole);
    }
  }

  public String source() {
    return source;
  }

  public Reads reads() {
    return reads;
  }

  /** Evaluates to a number. */
  public double evalNumber(Map<String, ?> variables) throws ExpressionException {
    Object result = eval(variables);
    if (result instanceof Number number) {
      return number.doubleValue();
    }
    throw new ExpressionException("'" + source + "' gave " + result + ", not a number");
  }

  /** Evaluates to a boolean. */
  public boolean evalBoolean(Map<String, ?> variables) throws ExpressionException {
    Object result = eval(variables);
    if (result instanceof Boolean bool) {
      return bool;
    }
    throw new ExpressionException("'" + source + "' gave " + result + ", not true or false");
  }

  /**
   * Evaluates to a boolean, remembering the answer under {@code key}. Only for callers that know
   * the answer depends on nothing but what {@code key} holds (e.g. a condition that reads only
   * {@code grade}): it turns an interpreter run into a map lookup on the hot path.
   */
  public boolean evalBooleanRemembered(Object key, Supplier<Map<String, ?>> variables)
      throws ExpressionException {
    Boolean known = memo.get(key);
    if (known != null) {
      return known;
    }
    boolean result = evalBoolean(variables.get());
    if (memo.size() < MEMO_LIMIT) {
      memo.put(key, result);
    }
    return result;
  }

  private Object eval(Map<String, ?> variables) throws ExpressionException {
    try {
      return program.eval(variables);
    } catch (CelEvaluationException e) {
      throw new ExpressionException("'" + source + "' failed: " + e.getMessage());
    }
  }

  @Override
  public String toString() {
    return source;
  }

  /** An expression that could not be evaluated on given inputs (e.g. a missing map key). */
  public static final class ExpressionException extends Exception {
    private static final long serialVersionUID = 1L;

    public ExpressionException(String message) {
      super(message);
    }
  }
}
