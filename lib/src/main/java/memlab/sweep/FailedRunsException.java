package memlab.sweep;

import tech.tablesaw.api.Table;

/**
 * Thrown when the results of a sweep are asked for while some of its runs ended with an error
 * (an exception, not a divergence: diverged runs are results). The message says how many, with
 * what, and that they are run again when the sweep runs next; {@link #errors()} lists them.
 */
public final class FailedRunsException extends IllegalStateException {
    private final transient Table errors;

    FailedRunsException(String message, Table errors) {
        super(message);
        this.errors = errors;
    }

    /** The failed runs: their axes, {@code seed} and {@code error} (the exception's class and message). */
    public Table errors() {
        return errors;
    }
}
