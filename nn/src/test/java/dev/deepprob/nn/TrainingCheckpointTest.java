package dev.deepprob.nn;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;
import dev.deepprob.nn.optim.Adam;
import dev.deepprob.nn.optim.AdamW;
import dev.deepprob.nn.optim.Optimizer;
import dev.deepprob.nn.optim.RMSprop;
import dev.deepprob.nn.optim.SGD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static dev.deepprob.nn.Asserts.assertThrowsWith;
import static org.junit.jupiter.api.Assertions.*;

/** Saving training (module + optimiser state) and resuming it gives bitwise the run that never stopped. */
class TrainingCheckpointTest {
    @TempDir
    Path dir;

    private static final Tensor X = Tensor.randn(new Generator(5), DType.F32, 16, 2);
    private static final Tensor Y = Tensor.of(NDArray.bernoulli(new Generator(6), 0.5, 16, 1).to(DType.F32));

    private static Sequential model(long seed) { return Mlp.of(new Generator(seed), 2, 8, 1).activation(Tanh::new).build(); }

    private static void train(UnaryModule m, Optimizer opt, int steps) {
        for (int i = 0; i < steps; i++) {
            opt.zeroGrad();
            Losses.bceWithLogits(m.forward(X), Y).backward();
            opt.step();
        }
    }

    private static final Map<String, Function<List<Tensor>, Optimizer>> OPTIMIZERS = new LinkedHashMap<>();

    static {
        OPTIMIZERS.put("Adam", p -> new Adam(p, 0.01));
        OPTIMIZERS.put("Adam(amsgrad, L2)", p -> Adam.builder().lr(0.01).amsgrad(true).weightDecay(0.1).build(p));
        OPTIMIZERS.put("AdamW", p -> new AdamW(p, 0.01));
        OPTIMIZERS.put("SGD(nesterov)", p -> SGD.builder().lr(0.1).momentum(0.9).nesterov(true).build(p));
        OPTIMIZERS.put("RMSprop(centered, momentum)", p -> RMSprop.builder().lr(0.01).centered(true).momentum(0.5).build(p));
    }

    @Test
    void resumingFromATrainingCheckpointEqualsTheUninterruptedRun() throws IOException {
        for (var e : OPTIMIZERS.entrySet()) {
            Sequential a = model(1);
            Optimizer oa = e.getValue().apply(a.parameters());
            oa.setLr(oa.lr() * 0.5);                           // a changed learning rate is part of the state
            train(a, oa, 5);
            Path f = dir.resolve(e.getKey().replaceAll("\\W", "_") + ".safetensors");
            Checkpoint.saveTraining(a, oa, f);
            train(a, oa, 5);

            Sequential b = model(99);                          // other weights, a fresh optimiser
            Optimizer ob = e.getValue().apply(b.parameters());
            Checkpoint.loadTraining(b, ob, f);
            assertEquals(oa.lr(), ob.lr(), e.getKey());
            train(b, ob, 5);
            assertEquals(a.stateDict(), b.stateDict(), e.getKey() + ": the resumed run differs");
            assertEquals(oa.stateDict(), ob.stateDict(), e.getKey() + ": the resumed optimiser state differs");
        }
    }

    @Test
    void theModelPartIsAPlainCheckpoint() throws IOException {
        Sequential a = model(1);
        Adam opt = new Adam(a.parameters(), 0.01);
        train(a, opt, 2);
        Path f = dir.resolve("t.safetensors");
        Checkpoint.saveTraining(a, opt, f);
        Checkpoint.Contents c = Checkpoint.read(f);
        assertEquals("Adam", c.metadata().get("deepprob.optimizer"));
        assertTrue(c.tensors().containsKey("optimizer.state.0.exp_avg"));
        assertEquals(2L, c.tensors().get("optimizer.state.0.step").toLongArray()[0]);
        assertEquals(0.01, c.tensors().get("optimizer.param_groups.0.lr").item());
        for (String k : a.stateDict().keySet()) assertEquals(a.stateDict().get(k), c.tensors().get(k), k);
    }

    @Test
    void aMismatchLeavesModuleAndOptimiserUnchanged() throws IOException {
        Sequential a = model(1);
        Adam oa = new Adam(a.parameters(), 0.01);
        train(a, oa, 3);
        Path f = dir.resolve("adam.safetensors");
        Checkpoint.saveTraining(a, oa, f);

        Sequential b = model(2);
        Adam ob = new Adam(b.parameters(), 0.02);
        train(b, ob, 1);
        Map<String, NDArray> modelBefore = b.stateDict(), optBefore = ob.stateDict();

        // another optimiser class
        SGD sgd = new SGD(b.parameters(), 0.1, 0.9);
        assertThrowsWith(CheckpointException.class, () -> Checkpoint.loadTraining(b, sgd, f), "holds the state of a Adam, not of a SGD");
        // another architecture: the optimiser's state does not fit
        Sequential wide = Mlp.of(new Generator(3), 2, 9, 1).activation(Tanh::new).build();
        Adam ow = new Adam(wide.parameters(), 0.01);
        assertThrowsWith(CheckpointException.class, () -> Checkpoint.loadTraining(wide, ow, f), "but parameter 0 is F32 [9, 2]");
        // the optimiser fits but the module does not (same parameter shapes, other names): the optimiser is rolled back
        Sequential renamed = new Sequential(new Linear(2, 8, new Generator(4)), new Tanh(), new Tanh(), new Linear(8, 1, new Generator(4)));
        Adam or = new Adam(renamed.parameters(), 0.03);
        train(renamed, or, 1);
        Map<String, NDArray> orBefore = or.stateDict();
        assertThrows(CheckpointException.class, () -> Checkpoint.loadTraining(renamed, or, f));
        assertEquals(orBefore, or.stateDict(), "the optimiser is rolled back when the module does not fit");
        // a plain (module-only) checkpoint is not a training checkpoint
        Path plain = dir.resolve("plain.safetensors");
        Checkpoint.save(a, plain);
        assertThrowsWith(CheckpointException.class, () -> Checkpoint.loadTraining(b, ob, plain), "is not a training checkpoint");
        assertEquals(modelBefore, b.stateDict());
        assertEquals(optBefore, ob.stateDict());
    }

    @Test
    void loadStateDictRejectsBadStateAtOnceAndChangesNothing() {
        Sequential m = model(1);
        Adam opt = new Adam(m.parameters(), 0.01);
        train(m, opt, 2);
        Map<String, NDArray> good = opt.stateDict(), before = opt.stateDict();
        Map<String, NDArray> bad = new LinkedHashMap<>(good);
        bad.put("state.0.exp_avg", NDArray.zeros(DType.F32, 3, 3));
        assertThrowsWith(IllegalArgumentException.class, () -> opt.loadStateDict(bad), "Adam.loadStateDict: state.0.exp_avg is F32 [3, 3], but parameter 0 is F32 [8, 2]");
        Map<String, NDArray> unknown = new LinkedHashMap<>(good);
        unknown.put("state.0.momentum_buffer", good.get("state.0.exp_avg"));
        assertThrowsWith(IllegalArgumentException.class, () -> opt.loadStateDict(unknown), "state.0.momentum_buffer is not a state of Adam");
        Map<String, NDArray> partial = new LinkedHashMap<>(good);
        partial.remove("state.1.exp_avg_sq");
        assertThrowsWith(IllegalArgumentException.class, () -> opt.loadStateDict(partial), "the state of parameter 1 lacks [exp_avg_sq]");
        Map<String, NDArray> noLr = new LinkedHashMap<>(good);
        noLr.remove("param_groups.0.lr");
        assertThrowsWith(IllegalArgumentException.class, () -> opt.loadStateDict(noLr), "missing param_groups.0.lr");
        Map<String, NDArray> range = new LinkedHashMap<>(good);
        range.put("state.7.step", NDArray.scalar(DType.I64, 1));
        assertThrowsWith(IllegalArgumentException.class, () -> opt.loadStateDict(range), "state.7.step is out of range: there are 4 parameters");
        Map<String, NDArray> negative = new LinkedHashMap<>(good);
        negative.put("state.0.step", NDArray.scalar(DType.I64, -1));
        assertThrowsWith(IllegalArgumentException.class, () -> opt.loadStateDict(negative), "state.0.step must be a non-negative I64 scalar");
        assertEquals(before, opt.stateDict(), "a rejected state changes nothing");
        // an empty per-parameter state (only the learning rates) starts every parameter afresh
        opt.loadStateDict(Map.of("param_groups.0.lr", NDArray.scalar(DType.F64, 0.5)));
        assertEquals(0.5, opt.lr());
        assertEquals(0, opt.steps(m.parameters().getFirst()));
    }
}
