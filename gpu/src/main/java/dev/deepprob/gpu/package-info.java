/**
 * deepprob's OpenCL backend. {@link dev.deepprob.gpu.OpenCl} lists the devices and gives each one's
 * {@link dev.deepprob.gpu.ClBackend}; the default one is also {@code Backends.get("opencl")}. Arrays move there with
 * {@code NDArray.to(backend)} and every operation on them runs on the device.
 *
 * <p>For contributors (see docs/GPU.md): kernels are {@code .cl} resources next to these classes, compiled per device
 * and build options once ({@code ClContext.kernel}); a kernel is launched with {@code ClContext.launch(resource, dtype,
 * name)} and the {@code ClLaunch} builder (arguments in parameter order: {@code buf}, {@code i32}, {@code i64},
 * {@code scalar}, {@code int8} for shapes and strides), then {@code run(n)}; results are made with
 * {@code ClBackend.empty(dtype, shape)}. Nothing waits for the device except reads.
 */
package dev.deepprob.gpu;
