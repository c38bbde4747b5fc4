/**
 * Inference methods built on the distributions and the optimisers: variational inference
 * ({@link dev.deepprob.prob.infer.Elbo}, pathwise or score-function, and {@link dev.deepprob.prob.infer.Svi}), the
 * importance-weighted bounds ({@link dev.deepprob.prob.infer.ImportanceWeightedBound},
 * {@link dev.deepprob.prob.infer.AmortizedImportanceWeightedBound}), the
 * {@link dev.deepprob.prob.infer.LaplaceApproximation}, conjugate
 * {@link dev.deepprob.prob.infer.BayesianLinearRegression}, {@link dev.deepprob.prob.infer.DensityRatio} estimation by
 * classification, and adversarial training ({@link dev.deepprob.prob.infer.Gan},
 * {@link dev.deepprob.prob.infer.AdversarialTrainer}, with a plain and an unrolled strategy), and
 * {@link dev.deepprob.prob.infer.AdversarialVariationalBayes}, a VAE with an implicit encoder and an adversary for its KL term.
 */
package dev.deepprob.prob.infer;
