/**
 * The README's "Use it in your project" first program, verbatim (package {@code app}, as a user's project would have
 * it), so that CI compiles and runs it like every other code sample the README shows.
 */
package app;
