/**
 * Datasets and mini-batches, in PyTorch's vocabulary: a {@link dev.deepprob.nn.data.TensorDataset} of arrays that
 * share their first dimension, random splits and subsets, and a {@link dev.deepprob.nn.data.DataLoader} that draws
 * shuffled (seeded) batches gathered by the engine. Files are read into arrays by {@code dev.deepprob.nn.io}.
 */
package dev.deepprob.nn.data;
