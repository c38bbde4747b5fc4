package dev.deepprob.engine;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The default floating dtype: F32 until set, only F32 or F64, a scope restores what it replaced on its own thread only. */
class DefaultFloatTest {

    @Test
    void onlyFloatingTypesAreAccepted() {
        for (DType bad : new DType[]{DType.I64, DType.BOOL, null}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DType.setDefaultFloat(bad));
            assertEquals("DType.setDefaultFloat: the default dtype must be a floating type (F32 or F64), got " + bad, e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> DType.withDefaultFloat(bad));
            assertEquals("DType.withDefaultFloat: the default dtype must be a floating type (F32 or F64), got " + bad, e.getMessage());
        }
        assertEquals(DType.F32, DType.defaultFloat(), "a rejected call leaves the default as it was");
    }

    @Test
    @SuppressWarnings("try")
    void scopesNestRestoreAndStayOnTheirThread() throws Exception {
        assertEquals(DType.F32, DType.defaultFloat());
        try (DType.DefaultScope outer = DType.withDefaultFloat(DType.F64)) {
            assertEquals(DType.F64, DType.defaultFloat());
            assertEquals(DType.F32, CompletableFuture.supplyAsync(DType::defaultFloat).get(), "another thread keeps the global default");
            try (DType.DefaultScope inner = DType.withDefaultFloat(DType.F32)) {
                assertEquals(DType.F32, DType.defaultFloat());
            }
            assertEquals(DType.F64, DType.defaultFloat(), "closing the inner scope restores the outer one");
            outer.close();
            outer.close();   // closing twice is harmless
            assertEquals(DType.F32, DType.defaultFloat());
        }
        DType.DefaultScope s = DType.withDefaultFloat(DType.F64);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
            try {
                CompletableFuture.runAsync(s::close).get();
            } catch (java.util.concurrent.ExecutionException x) {
                throw x.getCause();
            }
        });
        assertEquals(true, e.getMessage().startsWith("DType.withDefaultFloat: scope opened on thread "), e.getMessage());
        s.close();
        assertEquals(DType.F32, DType.defaultFloat());
    }

    @Test
    @SuppressWarnings("try")
    void setDefaultFloatIsSeenByEveryThreadAndAScopeOverridesIt() throws Exception {
        DType.setDefaultFloat(DType.F64);
        try {
            assertEquals(DType.F64, DType.defaultFloat());
            assertEquals(DType.F64, CompletableFuture.supplyAsync(DType::defaultFloat).get());
            try (DType.DefaultScope s = DType.withDefaultFloat(DType.F32)) {
                assertEquals(DType.F32, DType.defaultFloat());
            }
            assertEquals(DType.F64, DType.defaultFloat());
        } finally {
            DType.setDefaultFloat(DType.F32);
        }
        assertEquals(DType.F32, DType.defaultFloat());
    }
}
