package dev.deepprob.gpu;

import dev.deepprob.engine.NDArray;
import dev.deepprob.engine.SpecialFn;

/**
 * The special functions of {@link SpecialFn} on the device: to come (issue 10's second part), as kernels in
 * special.cl ported from engine/cpu/SpecialExtra.java. Until then they say they are not implemented. (digamma,
 * trigamma and polygamma are unary ops, already in elementwise.cl.)
 */
final class ClSpecial {
    private ClSpecial() {}

    static NDArray special(ClBackend b, SpecialFn fn, NDArray[] args) { throw ClRandom.notYet("special"); }
}
