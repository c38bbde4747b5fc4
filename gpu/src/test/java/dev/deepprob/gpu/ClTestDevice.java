package dev.deepprob.gpu;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The OpenCL backend the gpu tests run on. Without any OpenCL platform the tests are skipped with the reason, except
 * where the environment says CI=true: CI installs PoCL, so a missing platform there is a failure, not a skip.
 */
final class ClTestDevice {
    private ClTestDevice() {}

    static ClBackend backend() {
        String why = OpenCl.unavailableReason();
        if (why != null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) fail("CI=true but OpenCL is not usable here: " + why);
            assumeTrue(false, "skipped, no OpenCL here: " + why);
        }
        return OpenCl.backend();
    }
}
