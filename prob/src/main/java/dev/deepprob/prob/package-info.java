/**
 * Probability distributions with PyTorch's shape rules ({@link dev.deepprob.prob.Distribution}: batch, event and
 * sample shapes), their optional capabilities as types ({@link dev.deepprob.prob.Reparameterizable},
 * {@link dev.deepprob.prob.HasCdf}, {@link dev.deepprob.prob.HasMoments}, {@link dev.deepprob.prob.HasMode},
 * {@link dev.deepprob.prob.HasEntropy}), their supports ({@link dev.deepprob.prob.Constraints}), wrappers
 * ({@link dev.deepprob.prob.Independent}, {@link dev.deepprob.prob.TransformedDistribution},
 * {@link dev.deepprob.prob.MixtureSameFamily}) and closed-form KL divergences ({@link dev.deepprob.prob.KL}).
 * Bijections are in {@code dev.deepprob.prob.transforms}, inference methods in {@code dev.deepprob.prob.infer}.
 */
package dev.deepprob.prob;
