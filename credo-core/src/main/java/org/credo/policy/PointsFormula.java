package org.credo.policy;

/** A rule's points: a constant, or an expression over the record's attributes. */
public sealed interface PointsFormula {
  record Constant(double points) implements PointsFormula {
    @Override
    public String toString() {
      return Double.toString(points);
    }
  }

  record Computed(Expression expression) implements PointsFormula {
    @Override
    public String toString() {
      return expression.source();
    }
  }
}
