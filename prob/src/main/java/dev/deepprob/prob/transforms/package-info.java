/**
 * Invertible differentiable maps with their log-Jacobian determinants ({@link dev.deepprob.prob.transforms.Transform}),
 * for {@link dev.deepprob.prob.TransformedDistribution}s and for optimising constrained parameters as free reals:
 * {@link dev.deepprob.prob.transforms.Transforms#biject} gives the map from the reals onto a constraint's set.
 */
package dev.deepprob.prob.transforms;
