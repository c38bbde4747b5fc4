/**
 * Optimisers with torch.optim's update rules ({@link dev.deepprob.nn.optim.SGD}, {@link dev.deepprob.nn.optim.Adam},
 * {@link dev.deepprob.nn.optim.AdamW}, {@link dev.deepprob.nn.optim.RMSprop}), each one fused pass over a
 * parameter's raw storage; gradient clipping; and learning-rate schedules.
 */
package dev.deepprob.nn.optim;
