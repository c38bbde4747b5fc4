package dev.deepprob.demos;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The registry of demos. Adding a demo is one line in {@link #REGISTERED}; {@link #all()} lists the registered
 * ones in the tutorial's order ({@link #TUTORIAL_ORDER}), so the command line and the report show them as the
 * tutorial does, and only those that exist.
 */
public final class Demos {
    private Demos() {}

    /** The tutorial's programs in order (NOTEBOOKS.md sections 0 to 9). */
    public static final List<String> TUTORIAL_ORDER = List.of(
            "coin", "kld", "blr", "laplace", "elbo", "bnn", "vae", "discriminator", "gan", "modedrop");

    /** Every demo that exists: add one line here. */
    private static final List<Supplier<Demo>> REGISTERED = List.of(
            KldDemo::new,
            BlrDemo::new,
            dev.deepprob.demos.coin.CoinDemo::new,
            dev.deepprob.demos.laplace.LaplaceDemo::new,
            dev.deepprob.demos.elbo.ElboDemo::new,
            dev.deepprob.demos.bnn.BnnDemo::new,
            dev.deepprob.demos.vae.VaeDemo::new,
            dev.deepprob.demos.discriminator.DiscriminatorDemo::new,
            dev.deepprob.demos.gan.GanDemo::new,
            dev.deepprob.demos.modedrop.ModeDropDemo::new,
            dev.deepprob.demos.mnist.MnistVaeDemo::new,
            dev.deepprob.demos.discrete.DiscreteDemo::new,
            dev.deepprob.demos.avb.AvbDemo::new,
            dev.deepprob.demos.unrolled.UnrolledDemo::new
    );

    /** Fresh instances of every registered demo, in the tutorial's order (unknown names go last, by name). */
    public static List<Demo> all() {
        List<Demo> ds = new ArrayList<>();
        for (Supplier<Demo> s : REGISTERED) ds.add(s.get());
        ds.sort(Comparator.comparingInt((Demo d) -> orderOf(d.name())).thenComparing(Demo::name));
        return ds;
    }

    /** The registered demo of that name. */
    public static Optional<Demo> find(String name) {
        return all().stream().filter(d -> d.name().equals(name)).findFirst();
    }

    /** The names of the registered demos, in order. */
    public static List<String> names() { return all().stream().map(Demo::name).toList(); }

    /** True for a tutorial program that has no demo yet. */
    public static boolean isPlanned(String name) { return TUTORIAL_ORDER.contains(name) && find(name).isEmpty(); }

    private static int orderOf(String name) {
        int i = TUTORIAL_ORDER.indexOf(name);
        return i < 0 ? Integer.MAX_VALUE : i;
    }
}
