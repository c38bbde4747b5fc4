package dev.deepprob.gpu;

import dev.deepprob.engine.BinaryOp;
import dev.deepprob.engine.ReduceOp;
import dev.deepprob.engine.UnaryOp;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The text the device compiles for a kernel resource: the op codes of the engine's enums as {@code #define}s
 * ({@code OP_EXP}, {@code BOP_ADD}, {@code ROP_SUM}: a kernel switches on the code the host passes, so one build serves
 * every op), then common.cl (types, index helpers, Java's max/min), the gamma-function tables ({@link ClGammaTables}), then
 * the resource itself.
 */
final class ClSources {
    private ClSources() {}

    private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

    static String source(String resource) {
        return CACHE.computeIfAbsent(resource, r -> header() + ClContext.resource("common.cl") + ClGammaTables.source()
                + "\n#line 1\n" + ClContext.resource(r));
    }

    private static String header() {
        StringBuilder sb = new StringBuilder();
        for (UnaryOp op : UnaryOp.values()) sb.append("#define OP_").append(op.name()).append(' ').append(op.ordinal()).append('\n');
        for (BinaryOp op : BinaryOp.values()) sb.append("#define BOP_").append(op.name()).append(' ').append(op.ordinal()).append('\n');
        for (ReduceOp op : ReduceOp.values()) sb.append("#define ROP_").append(op.name()).append(' ').append(op.ordinal()).append('\n');
        sb.append("#define ROP_LSE ").append(ReduceOp.values().length).append('\n');
        return sb.toString();
    }
}
