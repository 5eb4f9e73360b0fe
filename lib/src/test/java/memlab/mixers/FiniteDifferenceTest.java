package memlab.mixers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import memlab.train.ParamSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Autograd through each mixer's fast form against central finite differences of the loss, every parameter entry. */
class FiniteDifferenceTest {
    @ParameterizedTest
    @ValueSource(strings = {"attention", "window", "linear", "delta", "gated"})
    void parameterGradientsMatchFiniteDifferences(String kind) {
        try (NDManager base = NDManager.newBaseManager(); ParamSet ps = new ParamSet(base, 1)) {
            Mixer mixer = Mixers.make(kind, ps, 4, 2, 2, new long[]{3});
            NDArray x = Mixers.normal(ps.manager(), 5, "x", 1, 1, 5, 4);
            NDArray probe = Mixers.normal(ps.manager(), 6, "probe", 1, 1, 5, 4);
            Map<String, float[]> g = Mixers.gradients(ps, m -> mixer.forward(x).mul(probe).sum());
            double eps = 4e-3, worst = 0;
            String where = "";
            for (String name : mixer.parameterNames()) {
                NDArray p = ps.get(name);
                float[] theta = p.toFloatArray();
                for (int i = 0; i < theta.length; i++) {
                    float keep = theta[i];
                    theta[i] = (float) (keep + eps); p.set(theta);
                    double up = mixer.forward(x).mul(probe).sum().getFloat();
                    theta[i] = (float) (keep - eps); p.set(theta);
                    double down = mixer.forward(x).mul(probe).sum().getFloat();
                    theta[i] = keep; p.set(theta);
                    double fd = (up - down) / (2 * eps), err = Math.abs(fd - g.get(name)[i]) / Math.max(1, Math.abs(fd));
                    if (err > worst) { worst = err; where = name + "[" + i + "] fd " + fd + " autograd " + g.get(name)[i]; }
                }
            }
            assertTrue(worst < 2e-3, kind + ": worst " + worst + " at " + where);
        }
    }
}
