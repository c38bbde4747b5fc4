# The JVM flags of the bench launchers (sourced by bench/compare_workloads.sh): the Vector API, the parallel collector
# with a heap that fits the workloads (without -Xmx the parallel collector sizes its heap from the machine's memory:
# the MNIST-sized VAE then took 2.1 GB of resident memory, against about 300 MB at the same speed with -Xmx512m, see
# bench/README.md).
DEEPPROB_BENCH_JVM_FLAGS=(--add-modules jdk.incubator.vector -XX:+UseParallelGC -Xmx512m)
