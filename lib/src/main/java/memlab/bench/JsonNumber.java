package memlab.bench;

/** Reads a number from the one-line JSON a reference script prints, without a JSON library on the benchmark's path. */
final class JsonNumber {
    private JsonNumber() {}

    /** The number after the first {@code key} in {@code json} (e.g. {@code "\"on\""} in {@code {"on": 0.31}}). */
    static double after(String json, String key) {
        int i = json.indexOf(key);
        if (i < 0) throw new IllegalArgumentException("no " + key + " in the reference script's output: " + json);
        int colon = json.indexOf(':', i + key.length()) + 1;
        int end = colon;
        while (end < json.length() && "0123456789.eE-+ ".indexOf(json.charAt(end)) >= 0) end++;
        return Double.parseDouble(json.substring(colon, end).trim());
    }
}
