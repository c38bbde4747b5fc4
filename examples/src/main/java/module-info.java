/** The code the READMEs show, as small programs with a main each; a test runs every one and checks what it prints. */
module dev.deepprob.examples {
    requires dev.deepprob.prob;
    exports dev.deepprob.examples;
}
