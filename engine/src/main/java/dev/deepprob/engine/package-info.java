/**
 * The tensor engine's API: {@link dev.deepprob.engine.NDArray} (a {@link dev.deepprob.engine.DType}, a shape,
 * strides and an offset over a {@link dev.deepprob.engine.Storage}), which checks every operation's shapes and dtypes
 * once and hands it to the storage's {@link dev.deepprob.engine.Backend}, the kernel contract a new device
 * implements; the seedable counter-based {@link dev.deepprob.engine.Generator}; and the shape arithmetic in
 * {@link dev.deepprob.engine.Shapes}. Nothing here records gradients: that is {@code dev.deepprob.autograd}.
 */
package dev.deepprob.engine;
