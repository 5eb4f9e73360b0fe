package memlab.egl;

import memlab.train.Optimizer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class CopyExperimentTest {
    static final CopyExperiment.Setup TINY = new CopyExperiment.Setup(3, 5, 4, 6, 7, 4);
    static final List<CopyExperiment.Run> RUNS = List.of(
            CopyExperiment.Run.of(Optimizer.Rule.ADAM, 1e-2, 1.0, true, 1),
            CopyExperiment.Run.of(Optimizer.Rule.ADAM, 1e-2, 1.0, false, 1),
            CopyExperiment.Run.of(Optimizer.Rule.ADAM, 3e-2, Double.POSITIVE_INFINITY, true, 2));

    @Test
    void runsTrainedInGroupsMatchOneBatchedModel() {
        var together = CopyExperiment.train(TINY, RUNS, new int[]{3}, null);
        var grouped = CopyExperiment.train(TINY, RUNS, new int[]{3}, null, 2);
        var a = together.recorder().table();
        var b = grouped.recorder().table();
        assertEquals(a.rowCount(), b.rowCount());
        for (String col : List.of("loss", "grad_norm", CopyExperiment.LINK_GRAD_NORM)) {
            var x = a.sortAscendingOn("run", "step").doubleColumn(col);
            var y = b.sortAscendingOn("run", "step").doubleColumn(col);
            for (int i = 0; i < x.size(); i++) assertEquals(x.get(i), y.get(i), 1e-5 * (1 + Math.abs(x.get(i))), col + " row " + i);
        }
        assertEquals(3, grouped.attention().size());
        assertEquals(2, grouped.attention().get(2).run());
        assertEquals(List.of("adam 0.01 clip 1.0 link on", "adam 0.01 clip 1.0 link off", "adam 0.03 noclip link on"), grouped.groups());
    }

    @Test
    void finalLossSpreadIsPerGroup() {
        var result = CopyExperiment.train(TINY, RUNS, new int[0], null);
        var s = result.finalLoss("adam 0.01 clip 1.0 link on", 2);
        assertEquals(1, s.n());
        assertTrue(s.mean() > 0);
        assertThrows(IllegalArgumentException.class, () -> result.finalLoss("no such group", 2));
    }

    @Test
    void badArgumentsFailFastWithTheirName() {
        var e = assertThrows(IllegalArgumentException.class, () -> new CopyExperiment.Setup(0, 5, 4, 6, 7, 4));
        assertTrue(e.getMessage().contains("batch"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CopyExperiment.Run.of(Optimizer.Rule.ADAM, 0, 1.0, true, 1));
        assertTrue(e.getMessage().contains("lr"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CopyExperiment.parseClip("sometimes"));
        assertTrue(e.getMessage().contains("clip"), e.getMessage());
    }
}
