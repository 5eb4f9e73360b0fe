package memlab.notebook;

import java.util.ArrayList;
import java.util.List;

/** Stands in for the rapaio kernel: the shape of {@code MainApp.kernel} and {@code Global.display/updateDisplay}. */
public final class FakeKernel {
    /** Non-null while "running", like {@code MainApp.kernel}. */
    public static Object kernel = new Object();
    /** Every call: {@code display|update id mime value}. */
    public static final List<String> calls = new ArrayList<>();
    private static int next;

    private FakeKernel() {}

    public static String display(String mime, Object value) {
        String id = "d" + next++;
        calls.add("display " + id + " " + mime + " " + value);
        return id;
    }

    public static void updateDisplay(String id, String mime, Object value) {
        calls.add("update " + id + " " + mime + " " + value);
    }
}
