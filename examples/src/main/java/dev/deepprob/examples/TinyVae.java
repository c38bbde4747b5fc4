package dev.deepprob.examples;

import dev.deepprob.autograd.Autograd;
import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;
import dev.deepprob.nn.Linear;
import dev.deepprob.nn.Losses;
import dev.deepprob.nn.Module;
import dev.deepprob.nn.optim.Adam;
import dev.deepprob.prob.KL;
import dev.deepprob.prob.Normal;

/**
 * A variational autoencoder (Kingma and Welling 2014) on the tutorial's toy data, four one-hot vectors of length 4,
 * with a 2-D latent space, small enough to train in a second or two. The encoder's q(z|x) is a {@link Normal}, sampled
 * by rsample (the reparameterisation) and held to the prior by the closed-form {@link KL}. It prints the loss per
 * element against its floor ln 4 / 4 and how many sampled codes decode to their own input.
 */
public final class TinyVae {
    private TinyVae() {}

    // README:begin vae
    /** Encoder 4 -> 32 -> (mean, log-variance) of a 2-D code; decoder 2 -> 32 -> 4 logits. */
    static final class Vae extends Module {
        final Linear enc, mu, logVar, dec1, dec2;

        Vae(Generator g) {
            enc = registerModule("enc", new Linear(4, 32, g));
            mu = registerModule("mu", new Linear(32, 2, g));
            logVar = registerModule("logVar", new Linear(32, 2, g));
            dec1 = registerModule("dec1", new Linear(2, 32, g));
            dec2 = registerModule("dec2", new Linear(32, 4, g));
        }

        Normal encode(Tensor x) {
            Tensor h = enc.forward(x).relu();
            return new Normal(mu.forward(h), logVar.forward(h).mul(0.5).exp());
        }

        Tensor decodeLogits(Tensor z) { return dec2.forward(dec1.forward(z).relu()); }
    }
    // README:end vae

    public static void main(String[] args) {
        int steps = 1500, batch = 32;
        Generator gen = new Generator(11);
        NDArray eye = NDArray.eye(DType.F32, 4);                                 // the four one-hot inputs
        // README:begin vae
        Vae vae = new Vae(gen);
        Adam opt = new Adam(vae.parameters(), 1e-2);
        Normal prior = new Normal(Tensor.zeros(DType.F32, 2), Tensor.ones(DType.F32, 2));   // F32, as the layers
        double[] losses = new double[steps];
        for (int step = 0; step < steps; step++) {
            Tensor x = Tensor.of(eye.indexSelect(0, NDArray.randint(gen, 0, 4, batch)));   // (32, 4) one-hot rows
            Normal q = vae.encode(x);
            Tensor z = q.rsample(gen);                                           // differentiable in q's parameters
            // negative ELBO per element: mean BCE + KL(q || prior) / (batch * 4)
            Tensor loss = Losses.bceWithLogits(vae.decodeLogits(z), x).add(KL.divergence(q, prior).sum().div(x.numel()));
            opt.zeroGrad();
            loss.backward();
            opt.step();
            losses[step] = loss.item();
        }
        // README:end vae

        int right = 0, codes = 2000;
        try (Autograd.Scope _ = Autograd.noGrad()) {
            NDArray label = NDArray.randint(gen, 0, 4, codes);
            Tensor z = vae.encode(Tensor.of(eye.indexSelect(0, label))).sample(gen);
            long[] decoded = vae.decodeLogits(z).argmax(1, false).data().toLongArray();
            long[] truth = label.toLongArray();
            for (int i = 0; i < codes; i++) if (decoded[i] == truth[i]) right++;
        }
        System.out.printf("loss per element: mean of the first 100 steps %.4f, of the last 100 %.4f (floor ln 4 / 4 = %.4f)%n",
                mean(losses, 0, 100), mean(losses, steps - 100, steps), Math.log(4) / 4);
        System.out.printf("sampled codes decoded to their own input: %d of %d%n", right, codes);
    }

    private static double mean(double[] a, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) s += a[i];
        return s / (to - from);
    }
}
