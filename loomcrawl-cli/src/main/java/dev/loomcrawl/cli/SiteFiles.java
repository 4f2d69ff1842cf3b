package dev.loomcrawl.cli;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
        for (SiteList.Site site : sites) {
            if (site.start() == null || site.problem() != null) {
                continue;
            }
            URI uri = URI.create(site.start());
            String base = uri.getHost().replace("[", "").replace("]", "").replace(':', '-').toLowerCase(Locale.ROOT)
                    + (uri.getPort() == -1 ? "" : "_" + uri.getPort());
            int n = seen.merge(base, 1, Integer::sum);
            names[site.index()] = n == 1 ? base : base + "-" + n;
        }
        return new SiteFiles(names);
    }

    /** The name of the site at {@code index}, without an extension; {@code null} for a site that is not crawled. */
    String name(int index) {
        return names[index];
    }
}
