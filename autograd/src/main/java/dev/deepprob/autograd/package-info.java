/**
 * Reverse-mode automatic differentiation on a dynamic tape: {@link dev.deepprob.autograd.Tensor} wraps an
 * {@code NDArray} and records the operation that produced it; {@link dev.deepprob.autograd.Autograd} runs backward
 * passes (themselves recorded, so gradients of gradients work) and the grad-mode scopes; and
 * {@link dev.deepprob.autograd.GradCheck} checks derivatives of any order against finite differences.
 */
package dev.deepprob.autograd;
