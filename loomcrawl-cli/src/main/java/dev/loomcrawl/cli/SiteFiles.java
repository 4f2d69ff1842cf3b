package dev.loomcrawl.cli;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The file name of each site of a run, for {@code --output-dir} and {@code --warc}: {@code HOST} or {@code HOST_PORT}
 * (an IPv6 host's colons as {@code -}), lower case; a host listed again (another start path, another scheme) gets
 * {@code -2}, {@code -3}, ... in list order, so that names are the same at every run of the list.
 */
final class SiteFiles {

    private final String[] names;

    private SiteFiles(String[] names) {
        this.names = names;
    }

    static SiteFiles of(List<SiteList.Site> sites) {
        String[] names = new String[sites.size()];
        Map<String, Integer> seen = new HashMap<>();
        Set<String> taken = new HashSet<>();
        for (SiteList.Site site : sites) {
            if (site.start() == null || site.problem() != null) {
                continue;
            }
            String base = nameOf(site.start());
            String name = base;
            for (int n = seen.merge(base, 1, Integer::sum); !taken.add(name); n++) {
                name = base + "-" + (n == 1 ? 2 : n);
            }
            names[site.index()] = name;
        }
        return new SiteFiles(names);
    }

    /**
     * {@code HOST[_PORT]} of a normalized http(s) URL, lower case, safe as a file name: an IPv6 host's colons become
     * {@code -}, and any character but letters, digits, {@code .}, {@code -} and {@code _} becomes {@code -}.
     */
    static String nameOf(String normalized) {
        int from = normalized.indexOf("://") + 3;
        int end = normalized.indexOf('/', from);
        String authority = normalized.substring(from, end < 0 ? normalized.length() : end);
        authority = authority.substring(authority.lastIndexOf('@') + 1);
        String host;
        String port;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            host = authority.substring(1, close);
            port = authority.length() > close + 2 ? authority.substring(close + 2) : "";
        } else {
            int colon = authority.lastIndexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            port = colon < 0 ? "" : authority.substring(colon + 1);
        }
        StringBuilder b = new StringBuilder();
        for (char c : host.toLowerCase(Locale.ROOT).toCharArray()) {
            b.append(c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_') ? c : '-');
        }
        return b + (port.isEmpty() ? "" : "_" + port);
    }

    /** The name of the site at {@code index}, without an extension; {@code null} for a site that is not crawled. */
    String name(int index) {
        return names[index];
    }
}
