/**
 * Neural-network building blocks on top of {@code dev.deepprob.autograd}, in PyTorch's vocabulary:
 * {@link dev.deepprob.nn.Module} and {@link dev.deepprob.nn.Parameter}, layers ({@link dev.deepprob.nn.Linear},
 * {@link dev.deepprob.nn.Sequential}, {@link dev.deepprob.nn.Mlp}, activations, {@link dev.deepprob.nn.Dropout}),
 * {@link dev.deepprob.nn.Losses}, {@link dev.deepprob.nn.Init} and safetensors
 * {@link dev.deepprob.nn.Checkpoint}s. Optimisers and schedules are in {@code dev.deepprob.nn.optim}.
 * <p>Importing: {@code java.lang.Module} has the same simple name, so with {@code import dev.deepprob.nn.*;} the name
 * {@code Module} is ambiguous; add {@code import dev.deepprob.nn.Module;} (a single-type import wins over java.lang).
 */
package dev.deepprob.nn;
