package dev.deepprob.demos;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ProgressTest {
    @Test
    void noEstimateBeforeAFewPercentAndASecond() {
        // a slow first step (set-up, JIT) of a 3000-step run: a linear estimate would say 0.9 s * 2999 = 45 minutes
        assertEquals(Optional.empty(), Progress.eta(1, 3000, Duration.ofMillis(900)));
        assertEquals(Optional.empty(), Progress.eta(1, 3000, Duration.ofSeconds(2)), "under 3% done");
        assertEquals(Optional.empty(), Progress.eta(600, 3000, Duration.ofMillis(500)), "under a second of work");
        assertEquals(Optional.empty(), Progress.eta(0, 3000, Duration.ofSeconds(5)));
        assertEquals(Optional.empty(), Progress.eta(5, 0, Duration.ofSeconds(5)));
    }

    @Test
    void estimateAtTheAverageRateOnceEnoughIsDone() {
        assertEquals(Optional.of(Duration.ofSeconds(36)), Progress.eta(300, 3000, Duration.ofSeconds(4)));
        assertEquals(Optional.of(Duration.ofSeconds(97)), Progress.eta(90, 3000, Duration.ofSeconds(3)), "3% done after 3 s");
        assertEquals(Optional.of(Duration.ZERO), Progress.eta(3000, 3000, Duration.ofSeconds(40)));
    }
}
