package org.credo.scoring;

/**
 * What one rule's records add up to in a score: the points they count (after caps) and how many of
 * them count.
 */
public record RuleTotal(double points, int records) {}
