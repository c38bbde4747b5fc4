package dev.deepprob.engine;

/** Reductions of the {@link Backend} contract over any set of axes. */
public enum ReduceOp { SUM, PROD, MAX, MIN }
