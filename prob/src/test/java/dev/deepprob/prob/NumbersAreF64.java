package dev.deepprob.prob;

import dev.deepprob.engine.DType;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Makes F64 the default floating dtype around each test of a class ({@code @ExtendWith(NumbersAreF64.class)}). The
 * classes that use it compare against F64 references and build distributions from Java numbers ({@code new
 * Normal(0, 1)}), so they state that their numbers mean F64 rather than rely on the library's F32 default. The
 * override is {@link DType#withDefaultFloat}'s, on the test's thread only, so other classes are not affected.
 */
public final class NumbersAreF64 implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(NumbersAreF64.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("scope", DType.withDefaultFloat(DType.F64));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        DType.DefaultScope s = context.getStore(NS).remove("scope", DType.DefaultScope.class);
        if (s != null) s.close();
    }
}
