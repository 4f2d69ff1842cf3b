package dev.loomcrawl.check;

import java.util.Locale;

/** What checking a link concluded. */
public enum Verdict {
    /** The target answered 2xx. */
    OK,
    /** The target redirects, and the end of the chain answered 2xx. */
    REDIRECTED,
    /** 404, 410, another 4xx, a 5xx (after retries), an unknown host, a refused connection. */
    BROKEN,
    /** 401, 403 or 429: the target is there but will not answer a crawler; reported apart from broken. */
    BLOCKED,
    /** No answer in time. */
    TIMEOUT,
    /** Not requested: robots.txt, the scope, a limit or a filter. */
    EXCLUDED,
    /** The href is not a valid URL. */
    INVALID,
    /** The page is there but has no element with the fragment's {@code id} or {@code name}. */
    BROKEN_ANCHOR;

    /** The name used in reports: {@code ok}, {@code broken-anchor}, ... */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The verdict named by a label, as in {@code --fail-on blocked,timeout}. */
    public static Verdict ofLabel(String label) {
        for (Verdict v : values()) {
            if (v.label().equals(label.trim().toLowerCase(Locale.ROOT))) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown verdict '" + label + "'; verdicts are ok, redirected, broken, "
                + "blocked, timeout, excluded, invalid, broken-anchor");
    }

    /** The verdict of an answer: a status (0 for none) and a transport error (or {@code null}). */
    public static Verdict of(int status, String error) {
        if (error != null && error.startsWith("not requested: ")) {
            return EXCLUDED; // refused before it was sent: a private address under --exclude-private
        }
        if (error != null) {
            return error.contains("timeout") ? TIMEOUT : BROKEN;
        }
        if (status >= 200 && status < 300) {
            return OK;
        }
        if (status == 401 || status == 403 || status == 429) {
            return BLOCKED;
        }
        return BROKEN;
    }
}
