package memlab.notebook;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class VerdictTest {
    private static Verdict judged() {
        return Verdict.of("egl-loss", "Fig. 1").claim("loss falls with the link").settings("B 32")
                .seeds(1, 2, 3).wallSeconds(12.5).judge(Outcome.PARTLY, "take-off at 12 vs 140 <epochs>");
    }

    @Test
    void savesItsFieldsAsJsonBesideTheFigure(@TempDir Path dir) throws Exception {
        Verdict.clearSaved();
        judged().save(dir);
        String json = Files.readString(dir.resolve("egl-loss.verdict.json"));
        assertTrue(json.contains("\"figure\":\"egl-loss\""), json);
        assertTrue(json.contains("\"outcome\":\"partly\""), json);
        assertTrue(json.contains("\"outcome_label\":\"partly reproduced\""), json);
        assertTrue(json.contains("\"seeds\":[1,2,3]"), json);
        assertTrue(json.contains("\"wall_s\":12.5"), json);
        assertTrue(json.contains("\"claim\":\"loss falls with the link\""), json);
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
        assertEquals(1, Verdict.saved().size());
    }

    @Test
    void unmeasuredWallTimeIsNull(@TempDir Path dir) throws Exception {
        Verdict.of("x", "t").judge(Outcome.UNTESTABLE, "all NaN").save(dir);
        assertTrue(Files.readString(dir.resolve("x.verdict.json")).contains("\"wall_s\":null"));
    }

    @Test
    void anUnjudgedVerdictIsNotSaved(@TempDir Path dir) {
        var e = assertThrows(IllegalStateException.class, () -> Verdict.of("egl-loss", "t").save(dir));
        assertTrue(e.getMessage().contains("egl-loss"));
    }

    @Test
    void figureIdMustBeAFileName() {
        var e = assertThrows(IllegalArgumentException.class, () -> Verdict.of("../x", "t"));
        assertTrue(e.getMessage().contains("../x"));
    }

    @Test
    void htmlEscapesTextAndShowsOutcomeAndSeeds() {
        String html = judged().html();
        assertTrue(html.contains("&lt;epochs&gt;"), html);
        assertFalse(html.contains("<epochs>"));
        assertTrue(html.contains("partly reproduced"));
        assertTrue(html.contains("seeds 1, 2, 3"), html);
        assertEquals("egl-loss: partly reproduced — take-off at 12 vs 140 <epochs>", judged().toString());
    }

    @Test
    void summaryHasOneRowPerVerdict() {
        String html = Verdict.summaryHtml(java.util.List.of(judged(), Verdict.of("b", "t").judge(Outcome.REPRODUCED, "ok")));
        assertEquals(3, html.split("<tr").length - 1);
    }
}
