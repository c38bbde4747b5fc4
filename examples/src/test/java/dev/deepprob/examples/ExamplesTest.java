package dev.deepprob.examples;

import org.junit.jupiter.api.Test;

import static dev.deepprob.examples.Output.number;
import static dev.deepprob.examples.Output.numbers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs each example's main and checks what it prints: the numbers each one exists to show, against closed forms or
 * against the truth with a tolerance the sample size justifies. Each example is seeded, so the checks are exact
 * repeats; the tolerances say how far an honest fit may be from the answer, not how far this seed happened to land.
 */
class ExamplesTest {

    @Test
    void firstLookPrintsTheGradientTheHessianAStepDownhillAndTheShapeError() {
        String out = Output.of(FirstLook::main);
        double[] first = numbers(out, "loss (\\S+), dloss/dw \\[(\\S+), (\\S+), (\\S+)\\]");
        assertEquals(Math.log(2), first[0], 5e-7, "at w = 0 every probability is 1/2: the BCE is ln 2");
        for (int i = 1; i <= 3; i++) assertTrue(first[i] < 0, "labels say the row sum > 0, so raising any weight lowers the loss: " + out);
        assertTrue(out.contains("Hessian = XᵀX/(4n): true, d|g|²/dw = 2Hg: true"), out);
        assertTrue(number(out, "loss after one step (\\S+)") < first[0] - 0.05, "a gradient step lowers the loss: " + out);
        assertTrue(out.contains("matmul: shapes [3, 4] and [5, 2] do not align (4 != 5)"), out);
    }

    @Test
    void logisticRegressionFindsTheMaximumLikelihoodAndTheTruthWithinItsStandardErrors() {
        String out = Output.of(LogisticRegression::main);
        double[] loss = numbers(out, "loss (\\S+) -> (\\S+) after 300 Adam steps");
        assertTrue(loss[1] < loss[0] - 0.2, "the loss falls: " + out);
        assertTrue(number(out, "gradient norm of the mean loss at the fit (\\S+)") < 1e-6, "Adam reached the maximum likelihood: " + out);
        // the MLE is within 4 standard errors of the truth (a miss has probability 6e-5 per parameter)
        double[][] fits = {numbers(out, "w1 (\\S+) ± (\\S+) \\(true 2\\)"), numbers(out, "w2 (\\S+) ± (\\S+) \\(true -1\\)"),
                numbers(out, "b (\\S+) ± (\\S+) \\(true 0.5\\)")};
        double[] truth = {2, -1, 0.5};
        for (int i = 0; i < 3; i++) {
            assertTrue(fits[i][1] > 0.03 && fits[i][1] < 0.2, "a standard error of n = 2000 points: " + out);
            assertEquals(truth[i], fits[i][0], 4 * fits[i][1], "parameter " + i + ": " + out);
        }
        // the Bayes accuracy of this model is about 0.80; a fitted model gets near it
        assertTrue(number(out, "training accuracy (\\S+)") > 0.75, out);
    }

    @Test
    void normalMaximumLikelihoodMatchesTheClosedFormAndTheTruth() {
        String out = Output.of(NormalMaximumLikelihood::main);
        double[] fit = numbers(out, "fitted loc (\\S+), scale (\\S+)");
        double[] closed = numbers(out, "closed form loc (\\S+), scale (\\S+)");
        double[] diff = numbers(out, "fit minus closed form: loc (\\S+), scale (\\S+)");
        assertEquals(closed[0], fit[0], 1e-4, out);
        assertEquals(closed[1], fit[1], 1e-4, out);
        assertTrue(Math.abs(diff[0]) < 1e-6 && Math.abs(diff[1]) < 1e-6, "the optimiser converged: " + out);
        // n = 10000 from N(3, 2): the sample mean has sd 2/√n = 0.02, the sample sd about 2/√(2n) = 0.014; 4 sd each
        assertEquals(3, closed[0], 0.08, out);
        assertEquals(2, closed[1], 0.057, out);
    }

    @Test
    void sviFindsTheConjugatePosterior() {
        String out = Output.of(SviNormalMean::main);
        double[] loss = numbers(out, "loss: mean of the first 100 steps (\\S+), of the last 100 (\\S+)");
        assertTrue(loss[1] < loss[0], "the loss falls: " + out);
        double[] q = numbers(out, "q: loc (\\S+), scale (\\S+)");
        double[] exact = numbers(out, "exact posterior: mean (\\S+), sd (\\S+)");
        // seeds 1-8 land within 0.07 posterior sd of the mean and 3% of the sd; the bounds leave room for the noise of
        // one sample per step, and a q that missed (prior mean 0 is 11 sd away, the start's scale 1 is 7x too wide) fails
        assertEquals(exact[0], q[0], 0.2 * exact[1], out);
        assertEquals(exact[1], q[1], 0.1 * exact[1], out);
        assertEquals(1 / Math.sqrt(0.01 + 50), exact[1], 1e-4, "the posterior sd of 50 points with noise sd 1 and prior sd 10");
    }

    @Test
    void tinyVaeLearnsFourDistinctCodes() {
        String out = Output.of(TinyVae::main);
        double[] loss = numbers(out, "loss per element: mean of the first 100 steps (\\S+), of the last 100 (\\S+) \\(floor ln 4 / 4 = (\\S+)\\)");
        assertTrue(loss[1] < loss[0] - 0.05, "the loss falls: " + out);
        assertTrue(loss[1] > loss[2] - 0.01, "the loss is a bound: it stays above ln 4 / 4: " + out);
        assertTrue(loss[1] < 0.48, "near the floor (seeds 1-8: 0.44-0.46): " + out);
        // had two inputs shared a code, at most 3/4 of the codes could decode to their own input (seeds 1-8: 88-95%)
        double[] dec = numbers(out, "sampled codes decoded to their own input: (\\S+) of (\\S+)");
        assertTrue(dec[0] / dec[1] >= 0.8, out);
    }

    @Test
    void theReadmesFirstProgramFitsTheLineAndScoresItWithTheNoiseItWasMadeWith() {
        String out = Output.of(app.Main::main);
        double first = number(out, "step   0  mse (\\S+)"), last = number(out, "step 199  mse (\\S+)");
        // y = 2x + 1 + N(0, 0.1²): a fitted network leaves the noise, mse about 0.01 (256 points: 0.01 ± 0.0009 per sd)
        assertTrue(first > 0.5, out);
        assertEquals(0.01, last, 0.004, out);
        // the mean NLL under N(prediction, 0.1) is ½ln(2π·0.01) + ½·mse/0.01 at the same predictions
        assertEquals(0.5 * Math.log(2 * Math.PI * 0.01) + 0.5 * last / 0.01, number(out, "mean negative log-likelihood (\\S+)"), 0.01, out);
    }

    @Test
    void modelSummaryCompilesWithTheWildcardImportAndCountsParameters() {
        String out = Output.of(ModelSummary::main);
        // 4·8 + 8 + 8·2 + 2 = 58 in the encoder, 2 + 1 = 3 in the head
        assertTrue(out.contains("parameters of encoder and head: 61"), out);
        assertTrue(out.contains("[16, 2]"), "the summary shows the encoder's output shape: " + out);
    }
}
