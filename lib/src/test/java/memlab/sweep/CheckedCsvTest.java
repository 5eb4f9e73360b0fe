package memlab.sweep;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class CheckedCsvTest {
    static final List<String> HEADER = List.of("lr", "note", "final_loss");
    static final List<List<String>> ROWS = List.of(
            List.of("0.001", "plain", "0.18693417"),
            List.of("0.01", "a,b \"quoted\"\nsecond line\r\nthird", "NaN"),
            List.of("0.1", "", "-1"));

    @Test
    void valuesRoundTripWhateverTheyHold(@TempDir Path dir) {
        Path f = dir.resolve("r.csv");
        CheckedCsv.write(f, HEADER, ROWS);
        CheckedCsv.Contents c = CheckedCsv.read(f);
        assertEquals(HEADER, c.header());
        assertEquals(ROWS, c.rows().stream().map(CheckedCsv.Row::values).toList());
        assertEquals(List.of(2, 3, 6), c.rows().stream().map(CheckedCsv.Row::line).toList(), "the line each row starts on");
        assertTrue(c.damaged().isEmpty() && c.checked());
    }

    /** The property the format exists for: wherever the file is cut, every row read back is a row that was written. */
    @Test
    void aFileCutAnywhereNeverYieldsAShortenedRow(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("r.csv");
        CheckedCsv.write(f, HEADER, ROWS);
        String whole = Files.readString(f);
        for (int cut = 0; cut < whole.length(); cut++) {
            Files.writeString(f, whole.substring(0, cut));
            CheckedCsv.Contents c = CheckedCsv.read(f);
            List<List<String>> read = c.rows().stream().map(CheckedCsv.Row::values).toList();
            assertEquals(ROWS.subList(0, read.size()), read, "cut at " + cut);
            boolean atRowEnd = cut == 0 || whole.charAt(cut - 1) == '\n' || whole.charAt(cut) == '\n' && !inQuotes(whole, cut);
            if (!atRowEnd) assertFalse(c.damaged().isEmpty(), "a cut inside a row is reported: cut at " + cut);
        }
    }

    private static boolean inQuotes(String s, int at) {
        return s.substring(0, at).chars().filter(ch -> ch == '"').count() % 2 == 1;
    }

    @Test
    void aChangedCharacterIsCaught(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("r.csv");
        CheckedCsv.write(f, HEADER, ROWS);
        Files.writeString(f, Files.readString(f).replace("0.18693417", "0.18693418"));
        CheckedCsv.Contents c = CheckedCsv.read(f);
        assertEquals(2, c.rows().size());
        assertEquals(1, c.damaged().size());
        assertTrue(c.damaged().get(0).contains(f + " line 2") && c.damaged().get(0).contains("checksum"), c.damaged().get(0));
    }

    @Test
    void aFileFromBeforeChecksumsIsReadByItsColumnsAndLineEnds(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("old.csv");
        Files.writeString(f, "lr,status,final_loss,diverged\n0.001,ok,0.1869,false\n0.01,ok,0.18");
        CheckedCsv.Contents c = CheckedCsv.read(f);
        assertFalse(c.checked());
        assertEquals(List.of(List.of("0.001", "ok", "0.1869", "false")), c.rows().stream().map(CheckedCsv.Row::values).toList());
        assertEquals(1, c.damaged().size());
        assertTrue(c.damaged().get(0).contains("line 3"), c.damaged().get(0));
        Files.writeString(f, "lr,status,final_loss,diverged\n0.001,ok,0.1869,false\n0.01,ok,0.1869,fal");   // cut inside the last column
        assertEquals(1, CheckedCsv.read(f).rows().size(), "no newline: cut short");
    }

    @Test
    void appendingAfterATornRowStartsOnANewLine(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("a.csv");
        CheckedCsv.append(f, HEADER, ROWS.subList(0, 2));
        String text = Files.readString(f);
        Files.writeString(f, text.substring(0, text.length() - 12));
        CheckedCsv.append(f, HEADER, ROWS.subList(1, 3));
        CheckedCsv.Contents c = CheckedCsv.read(f);
        assertEquals(ROWS, c.rows().stream().map(CheckedCsv.Row::values).toList());
        assertEquals(1, c.damaged().size());
    }
}
