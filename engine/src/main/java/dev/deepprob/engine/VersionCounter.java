package dev.deepprob.engine;

/**
 * How many times one storage has been written. Every {@link NDArray} over the same storage holds the same counter
 * (views copy their base's reference, fresh allocations get a new one), so autograd can see that a value it saved
 * was changed through any alias. A small piece of its own so that a Storage type can take it over later.
 */
final class VersionCounter {
    int value;
}
