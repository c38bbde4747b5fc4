package dev.deepprob.gpu;

import dev.deepprob.engine.Backend;
import dev.deepprob.engine.BackendContract;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.opentest4j.TestAbortedException;

import java.lang.reflect.Method;

/**
 * The OpenCL backend against the engine's shared kernel contract (from engine's test jar). The samplers, special
 * functions and linear algebra are the second part of issue 10: while {@link ClRandom}, {@link ClSpecial} and
 * {@link ClLinalg} throw "not implemented yet", the contract tests that reach them are reported as skipped with that
 * message (and run, and must pass, as soon as the method exists); any other exception fails as usual.
 */
@ExtendWith(ClBackendContractTest.PendingMethods.class)
class ClBackendContractTest extends BackendContract {
    @Override
    protected Backend backend() { return ClTestDevice.backend(); }

    /** Turns the pending methods' UnsupportedOperationException into a skip naming the method. */
    static final class PendingMethods implements InvocationInterceptor {
        @Override
        public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> ctx, ExtensionContext ext)
                throws Throwable {
            try {
                invocation.proceed();
            } catch (UnsupportedOperationException e) {
                String m = String.valueOf(e.getMessage());
                if (!m.startsWith("ClBackend.") || !m.endsWith(": not implemented yet")) throw e;
                StackTraceElement[] st = e.getStackTrace();
                String thrower = st.length > 0 ? st[0].getClassName() : "";
                if (!thrower.endsWith(".ClRandom") && !thrower.endsWith(".ClSpecial") && !thrower.endsWith(".ClLinalg")) throw e;
                throw new TestAbortedException("pending (issue 10, second part): " + m, e);
            }
        }
    }
}
