package dev.deepprob.demos.mnist;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;

import java.nio.file.Path;
import java.util.List;

/** The package-private parts of the mnist-vae demo, for MnistVaeDemoTest (in the demos' main test package). */
public final class MnistVaeDemoAccess {
    private MnistVaeDemoAccess() {}

    /** A demo that looks for its default data only under the given folders. */
    public static MnistVaeDemo demo(List<Path> defaultRoots) { return new MnistVaeDemo(defaultRoots); }

    /** A fresh model with the given latent size (returned as Object: the model type is package-private). */
    public static Object model(Generator g, int latent) { return new MnistVaeDemo.Vae(g, latent); }

    /** Zero encoder heads (q = N(0, I)) and zero fc3 weights (the decoder ignores z). */
    public static void zeroForExactCase(Object model) {
        MnistVaeDemo.Vae m = (MnistVaeDemo.Vae) model;
        for (var lin : List.of(m.fc21, m.fc22)) {
            lin.weight().data().fillInPlace(0);
            lin.bias().orElseThrow().data().fillInPlace(0);
        }
        m.fc3.weight().data().fillInPlace(0);
    }

    /** The decoder's logits. */
    public static Tensor decode(Object model, Tensor z) { return ((MnistVaeDemo.Vae) model).decode(z); }

    /** The demo's importance-weighted estimate. */
    public static double iw(Object model, NDArray x, int k, Generator g) { return MnistVaeDemo.iwLogLikelihood((MnistVaeDemo.Vae) model, x, k, g); }
}
