package memlab.ephemeral;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * One file that lets an interrupted {@link LongTraining} continue where it stopped: the step
 * reached, the {@link MetricLog} so far and the model's {@link EphemeralNet.State} (slow weights,
 * ephemeral values, decay scales, frozen runs). The training data need no state: step s's
 * sequences are drawn from (run seed, s) alone.
 *
 * <p>Layout: a magic string, a version, the <b>fingerprint</b> of the training (task, model
 * settings, runs, stride, divergence rule: everything that decides the numbers except the number
 * of steps, so that a run can also be continued to a longer budget), the step, the log, the state,
 * and a CRC-32 of all of it. It is written to a temporary file and moved over the old one, so a kill
 * while writing leaves the previous checkpoint whole. A file that is damaged (checksum), of another
 * format, or of another training fails with a message naming the file and what differs.
 */
final class Checkpoint {
    private static final String MAGIC = "memlab ephemeral checkpoint";
    private static final int VERSION = 1;

    private Checkpoint() {}

    /** Writes {@code step}, {@code log} and {@code state} for the training {@code fingerprint} to {@code file}, atomically. */
    static void write(Path file, String fingerprint, int step, MetricLog log, EphemeralNet.State state) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeUTF(MAGIC);
            out.writeInt(VERSION);
            writeString(out, fingerprint);
            out.writeInt(step);
            log.write(out);
            out.writeInt(state.live().length);
            for (boolean l : state.live()) out.writeBoolean(l);
            out.writeInt(state.scale().length);
            for (double s : state.scale()) out.writeDouble(s);
            out.writeInt(state.slow().size());
            for (Map.Entry<String, float[]> e : state.slow().entrySet()) {
                out.writeUTF(e.getKey());
                writeFloats(out, e.getValue());
            }
            writeFloats(out, state.eIn());
            writeFloats(out, state.eRec());
            out.flush();
            CRC32 crc = new CRC32();
            crc.update(bytes.toByteArray());
            out.writeLong(crc.getValue());
            out.flush();
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, bytes.toByteArray());
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the checkpoint " + file, e);
        }
    }

    /** What a checkpoint holds. */
    record Contents(int step, EphemeralNet.State state) {}

    /**
     * Reads {@code file} into {@code log} and returns the step and the model state.
     *
     * @throws IllegalStateException when the file is damaged, of another format or version, or of
     *         another training than {@code fingerprint}; the message says which and what to do
     */
    static Contents read(Path file, String fingerprint, MetricLog log) {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the checkpoint " + file, e);
        }
        String fix = "; delete it to start this training from step 0";
        if (all.length < Long.BYTES) throw new IllegalStateException("checkpoint " + file + " is damaged (" + all.length + " bytes)" + fix);
        CRC32 crc = new CRC32();
        crc.update(all, 0, all.length - Long.BYTES);
        if (crc.getValue() != ByteBuffer.wrap(all, all.length - Long.BYTES, Long.BYTES).getLong())
            throw new IllegalStateException("checkpoint " + file + " is damaged (its checksum does not match its contents)" + fix);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(all, 0, all.length - Long.BYTES))) {
            String magic = in.readUTF();
            if (!magic.equals(MAGIC)) throw new IllegalStateException(file + " is not a memlab ephemeral-weights checkpoint" + fix);
            int version = in.readInt();
            if (version != VERSION)
                throw new IllegalStateException("checkpoint " + file + " has format version " + version + ", this code reads " + VERSION + fix);
            String saved = readString(in);
            if (!saved.equals(fingerprint))
                throw new IllegalStateException("checkpoint " + file + " belongs to another training: " + difference(saved, fingerprint) + fix
                        + ", or give this training another checkpoint file");
            int step = in.readInt();
            log.read(in);
            boolean[] live = new boolean[length(in, file)];
            for (int i = 0; i < live.length; i++) live[i] = in.readBoolean();
            double[] scale = new double[length(in, file)];
            for (int i = 0; i < scale.length; i++) scale[i] = in.readDouble();
            int n = length(in, file);
            Map<String, float[]> slow = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) slow.put(in.readUTF(), readFloats(in, file));
            float[] eIn = readFloats(in, file), eRec = readFloats(in, file);
            if (in.available() != 0) throw new IllegalStateException("checkpoint " + file + " has " + in.available() + " bytes more than it describes" + fix);
            return new Contents(step, new EphemeralNet.State(live, scale, slow, eIn, eRec));
        } catch (IOException e) {
            throw new IllegalStateException("checkpoint " + file + " is truncated or malformed (" + e + ")" + fix, e);
        }
    }

    /** The first place two fingerprints differ, with a little context. */
    static String difference(String saved, String expected) {
        int i = 0;
        while (i < saved.length() && i < expected.length() && saved.charAt(i) == expected.charAt(i)) i++;
        int from = Math.max(0, i - 40);
        return "saved '…" + saved.substring(from, Math.min(saved.length(), i + 60)) + "…', this training '…"
                + expected.substring(from, Math.min(expected.length(), i + 60)) + "…'";
    }

    private static int length(DataInputStream in, Path file) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) throw new IllegalStateException("checkpoint " + file + " is malformed (a length of " + n + ")");
        return n;
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) throw new IOException("a string of " + n + " bytes");
        return new String(in.readNBytes(n), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void writeFloats(DataOutputStream out, float[] v) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(v.length * Float.BYTES);
        b.asFloatBuffer().put(v);
        out.writeInt(v.length);
        out.write(b.array());
    }

    private static float[] readFloats(DataInputStream in, Path file) throws IOException {
        int n = in.readInt();
        if (n < 0 || (long) n * Float.BYTES > in.available())
            throw new IllegalStateException("checkpoint " + file + " is malformed (an array of " + n + " numbers)");
        float[] v = new float[n];
        ByteBuffer.wrap(in.readNBytes(n * Float.BYTES)).asFloatBuffer().get(v);
        return v;
    }
}
