/**
 * The CPU backend's kernels: Vector API kernels for the hot paths, and scalar reference kernels kept as their
 * test oracle. Internal: not part of the public API.
 */
package dev.deepprob.engine.cpu;
