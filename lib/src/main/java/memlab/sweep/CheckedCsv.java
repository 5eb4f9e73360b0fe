package memlab.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * A results file that is read back: CSV (RFC 4180 quoting, so separators, quotes and newlines in a
 * value round-trip) whose every row ends with a column {@value #CHECK}, the CRC-32 of the row's own
 * text before it. A row cut short or altered, however it was cut (inside a number, inside a value,
 * at a separator), no longer matches its checksum and is reported as damaged, with file and line,
 * instead of being read as a finished run.
 *
 * <p>Why a checksum per row and not only write-to-temporary-then-rename: {@link Sweep} does replace
 * its file atomically, which covers its own crash, but a reader cannot tell from the text alone
 * that a file is whole (a partial copy, a file system without atomic rename, a file written by an
 * older version, one appended to batch by batch like eph-sweep's curves). The checksum checks every
 * row where it is read, whatever wrote it.
 *
 * <p>Files without the check column (written before it existed) are read with the only rule they
 * allow: a row must have every column and end with a newline.
 */
public final class CheckedCsv {
    /** Name of the last column: the row's CRC-32 as 8 hexadecimal digits. */
    public static final String CHECK = "row_crc";

    private CheckedCsv() {}

    /** One intact row: the line it starts on (1 = header) and its values, without the check. */
    public record Row(int line, List<String> values) {}

    /**
     * What a file held.
     *
     * @param header   column names, without {@value #CHECK}; empty for a missing or empty file
     * @param rows     the intact rows
     * @param damaged  one message per damaged row, naming file and line
     * @param checked  whether the file carries per-row checksums (false: written before they existed)
     */
    public record Contents(List<String> header, List<Row> rows, List<String> damaged, boolean checked) {}

    /** Reads {@code file}; a missing file has no header and no rows. */
    public static Contents read(Path file) {
        if (!Files.exists(file)) return new Contents(List.of(), List.of(), List.of(), true);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Record> records = records(text);
        List<String> damaged = new ArrayList<>();
        if (records.isEmpty()) return new Contents(List.of(), List.of(), damaged, true);
        Record head = records.get(0);
        if (!head.terminated) {
            damaged.add(file + " line 1: the header is cut short; the file has no rows");
            return new Contents(List.of(), List.of(), damaged, true);
        }
        boolean checked = !head.fields.isEmpty() && head.fields.get(head.fields.size() - 1).equals(CHECK);
        List<String> header = checked ? head.fields.subList(0, head.fields.size() - 1) : head.fields;
        List<Row> rows = new ArrayList<>();
        for (Record r : records.subList(1, records.size())) {
            if (r.raw.isBlank() && r.fields.size() == 1) continue;
            String why = checked ? checkOf(r, head.fields.size()) : r.fields.size() != header.size() ? "cut short or altered: " + r.fields.size() + " of " + header.size() + " fields"
                    : !r.terminated ? "cut short: no newline at its end" : null;
            if (why != null) damaged.add(file + " line " + r.line + ": damaged row (" + why + ")");
            else rows.add(new Row(r.line, List.copyOf(checked ? r.fields.subList(0, r.fields.size() - 1) : r.fields)));
        }
        return new Contents(List.copyOf(header), rows, damaged, checked);
    }

    /** Replaces {@code file} with {@code rows} under {@code header}, atomically (temporary file, then rename). */
    public static void write(Path file, List<String> header, List<List<String>> rows) {
        StringBuilder sb = new StringBuilder(headerLine(header));
        for (List<String> r : rows) sb.append(line(header, r));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, sb, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Appends {@code rows} to {@code file} (created with {@code header} if missing). A torn last row
     * left by an earlier writer stays a damaged line of its own (a newline is added first), and a
     * file without checksums is first rewritten with them, so every row appended is checked.
     */
    public static void append(Path file, List<String> header, List<List<String>> rows) {
        try {
            if (Files.exists(file) && Files.size(file) > 0) {
                Contents old = read(file);
                if (!old.checked() || !old.header().equals(header)) {
                    if (!old.header().isEmpty() && !old.header().equals(header))
                        throw new IllegalStateException(file + " has columns " + old.header() + ", expected " + header);
                    write(file, header, old.rows().stream().map(Row::values).toList());
                }
            }
            StringBuilder sb = new StringBuilder();
            if (!Files.exists(file) || Files.size(file) == 0) sb.append(headerLine(header));
            else if (!endsWithNewline(file)) sb.append('\n');
            for (List<String> r : rows) sb.append(line(header, r));
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, sb, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean endsWithNewline(Path file) throws IOException {
        try (var ch = java.nio.channels.FileChannel.open(file, StandardOpenOption.READ)) {
            java.nio.ByteBuffer last = java.nio.ByteBuffer.allocate(1);
            ch.read(last, ch.size() - 1);
            return last.get(0) == '\n';
        }
    }

    private static String headerLine(List<String> header) {
        List<String> names = new ArrayList<>(header);
        names.add(CHECK);
        return encode(names) + "\n";
    }

    private static String line(List<String> header, List<String> values) {
        if (values.size() != header.size())
            throw new IllegalArgumentException("row has " + values.size() + " values for " + header.size() + " columns " + header);
        String text = encode(values);
        return text + "," + crc(text) + "\n";
    }

    private static String checkOf(Record r, int columns) {
        if (r.fields.size() != columns) return "cut short or altered: " + r.fields.size() + " of " + columns + " fields, counting the checksum";
        int cut = r.raw.lastIndexOf(',');
        return r.raw.substring(cut + 1).equals(crc(r.raw.substring(0, cut))) ? null : "cut short or altered: its checksum does not match its text";
    }

    private static String crc(String text) {
        CRC32 c = new CRC32();
        c.update(text.getBytes(StandardCharsets.UTF_8));
        return String.format("%08x", c.getValue());
    }

    /** One row as text: values quoted where they hold a separator, a quote or a line break. */
    static String encode(List<String> values) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) sb.append(',');
            String v = values.get(i);
            if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) sb.append('"').append(v.replace("\"", "\"\"")).append('"');
            else sb.append(v);
        }
        return sb.toString();
    }

    /** A record as read: its first line, its raw text (without the line end), its values, whether a newline ended it. */
    private record Record(int line, String raw, List<String> fields, boolean terminated) {}

    private static List<Record> records(String text) {
        List<Record> out = new ArrayList<>();
        int line = 1, start = 0, startLine = 1;
        List<String> fields = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') { cur.append('"'); i++; }
                else if (ch == '"') quoted = false;
                else { cur.append(ch); if (ch == '\n') line++; }
            } else if (ch == '"') quoted = true;
            else if (ch == ',') { fields.add(cur.toString()); cur.setLength(0); }
            else if (ch == '\n') {
                int end = i > start && text.charAt(i - 1) == '\r' ? i - 1 : i;
                if (end < i && cur.length() > 0) cur.setLength(cur.length() - 1);   // CRLF line end
                fields.add(cur.toString());
                out.add(new Record(startLine, text.substring(start, end), fields, true));
                fields = new ArrayList<>();
                cur.setLength(0);
                start = i + 1;
                startLine = ++line;
            } else cur.append(ch);
        }
        if (start < text.length()) {          // no final newline: cut short, or cut just before it
            fields.add(cur.toString());
            out.add(new Record(startLine, text.substring(start), fields, false));
        }
        return out;
    }
}
