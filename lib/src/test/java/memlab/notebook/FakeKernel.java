package memlab.notebook;

import java.util.ArrayList;
import java.util.List;

/** Stands in for the rapaio kernel: the shape of {@code MainApp.kernel} and {@code Global.display/updateDisplay}. */
public final class FakeKernel {
    /** Non-null while "running", like {@code MainApp.kernel}; shows {@link Data} bundles like the kernel's {@code display(DisplayData)}. */
    public static Object kernel = new FakeKernel();

    /** Records a bundle: {@code bundle id mime=value ... meta mime=value ...}. */
    public void display(Data d) {
        StringBuilder sb = new StringBuilder("bundle " + d.id);
        d.data.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
        d.meta.forEach((k, v) -> sb.append(" meta ").append(k).append('=').append(v));
        calls.add(sb.toString());
    }

    /** The shape of the kernel's {@code DisplayData}. */
    public static final class Data {
        final java.util.Map<String, Object> data = new java.util.LinkedHashMap<>(), meta = new java.util.LinkedHashMap<>();
        String id;

        public static Data withType(String mime, String value) {
            Data d = new Data();
            d.data.put(mime, value);
            return d;
        }

        public void putData(String mime, Object value) {
            data.put(mime, value);
        }

        public void putMetaData(String key, Object value) {
            meta.put(key, value);
        }

        public void setDisplayId(String id) {
            this.id = id;
        }
    }
    /** Every call: {@code display|update id mime value}. */
    public static final List<String> calls = new ArrayList<>();
    private static int next;

    FakeKernel() {}

    public static String display(String mime, Object value) {
        String id = "d" + next++;
        calls.add("display " + id + " " + mime + " " + value);
        return id;
    }

    public static void updateDisplay(String id, String mime, Object value) {
        calls.add("update " + id + " " + mime + " " + value);
    }
}
