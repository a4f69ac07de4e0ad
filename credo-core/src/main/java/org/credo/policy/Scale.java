package org.credo.policy;

/** How a policy turns records into a number: points on a ledger, or weighted factors. */
public sealed interface Scale {
  double min();

  double max();

  /** {@code value} clamped to the scale. */
  default double clamp(double value) {
    return Math.max(min(), Math.min(max(), value));
  }

  /** Rongcheng-style: everyone starts at {@code base}; rules add and deduct points. */
  record Points(double base, double min, double max) implements Scale {
    public Points {
      if (!(min <= base && base <= max)) {
        throw new IllegalArgumentException("need min <= base <= max");
      }
    }
  }

  /** Sesame- or FICO-style: weighted factor signals in 0…1 mapped onto min…max. */
  record Factors(double min, double max) implements Scale {
    public Factors {
      if (!(min < max)) {
        throw new IllegalArgumentException("need min < max");
      }
    }
  }
}
