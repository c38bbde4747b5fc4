package dev.deepprob.examples;

// README:begin imports
import dev.deepprob.nn.*;
import dev.deepprob.nn.Module;
// README:end imports
import dev.deepprob.engine.Generator;

/**
 * docs/FAQ.md's import answer, compiled: with the nn wildcard import, the single-type import of
 * {@code dev.deepprob.nn.Module} wins over {@code java.lang.Module}. Prints a model's summary and the parameter count
 * of two modules gathered with {@link Module#parameters(Module...)}.
 */
public final class ModelSummary {
    private ModelSummary() {}

    public static void main(String[] args) {
        Generator gen = new Generator(7);
        Module encoder = new Sequential(new Linear(4, 8, gen), new ReLU(), new Linear(8, 2, gen));
        Module head = new Linear(2, 1, gen);
        System.out.print(encoder.summary(16, 4));
        int n = 0;
        for (var p : Module.parameters(encoder, head)) n += p.numel();
        System.out.println("parameters of encoder and head: " + n);
    }
}
