/**
 * Inference methods built on the distributions and the optimisers: variational inference
 * ({@link dev.deepprob.prob.infer.Elbo}, {@link dev.deepprob.prob.infer.Svi}), the
 * {@link dev.deepprob.prob.infer.LaplaceApproximation}, conjugate
 * {@link dev.deepprob.prob.infer.BayesianLinearRegression}, {@link dev.deepprob.prob.infer.DensityRatio} estimation by
 * classification, and adversarial training ({@link dev.deepprob.prob.infer.Gan},
 * {@link dev.deepprob.prob.infer.AdversarialTrainer}, with a plain and an unrolled strategy).
 */
package dev.deepprob.prob.infer;
