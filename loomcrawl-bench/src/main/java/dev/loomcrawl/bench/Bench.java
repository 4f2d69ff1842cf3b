package dev.loomcrawl.bench;

import dev.loomcrawl.ContentExtractor;
import dev.loomcrawl.crawl.ContentFormat;
import dev.loomcrawl.internal.fetch.FetchSettings;
import dev.loomcrawl.internal.fetch.HttpFetcher;
import dev.loomcrawl.internal.links.LinkExtractor;
import dev.loomcrawl.internal.url.UrlNormalizer;
import dev.loomcrawl.testkit.SiteGenerator;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.ProxySelector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Benchmarks behind the design choices (results in docs/benchmarks.md):
 *
 * <ul>
 *   <li>{@code clients TRUTH.json [CONCURRENCY]}: fetches every HTML URL of a ground-truth file (a site served by
 *       nginx, say) with each candidate HTTP client at the same concurrency, and prints wall time and process CPU
 *       per page.</li>
 *   <li>{@code extract [PAGES]}: CPU per ~30 KB page of the streaming link extractor against a full jsoup
 *       parse, on one thread.</li>
 *   <li>{@code content DIR [PASSES]}: pages/s of the content extractor (Markdown) over the {@code .html} and
 *       {@code .html.gz} files under DIR, pass after pass in one JVM, then of jsoup's parse alone; beside
 *       {@code readability_bench.js}, which does the same with Mozilla Readability.</li>
 * </ul>
 */
public final class Bench {

    private Bench() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: bench clients TRUTH.json [CONCURRENCY] | bench extract [PAGES] | "
                    + "bench content DIR [PASSES] | bench site PORT PAGES");
            System.exit(2);
        }
        switch (args[0]) {
            case "clients" -> clients(Path.of(args[1]), args.length > 2 ? Integer.parseInt(args[2]) : 16);
            case "extract" -> extract(args.length > 1 ? Integer.parseInt(args[1]) : 2000);
            case "content" -> content(Path.of(args[1]), args.length > 2 ? Integer.parseInt(args[2]) : 40);
            case "site" -> GeneratedSite.serve(Integer.parseInt(args[1]), Long.parseLong(args[2]));
            default -> {
                System.err.println("unknown benchmark: " + args[0]);
                System.exit(2);
            }
        }
    }

    private static void clients(Path truth, int concurrency) throws Exception {
        List<String> urls = htmlUrls(Files.readString(truth));
        FetchSettings settings = new FetchSettings("loomcrawl-bench", Duration.ofSeconds(10), Duration.ofSeconds(30),
                Duration.ofSeconds(30), Duration.ofSeconds(30), 10 << 20, null, null, null);
        System.out.printf(Locale.ROOT, "%d URLs, concurrency %d, %d cores%n", urls.size(), concurrency,
                Runtime.getRuntime().availableProcessors());
        for (int round = 0; round < 3; round++) {
            try (HttpFetcher lean = HttpFetcher.create(settings)) {
                run("lean HTTP/1.1 (loomcrawl)", urls, concurrency, url -> lean.get(url).length(), round);
            }
            // the same routing fetcher, forced onto java.net.http by a (direct) proxy selector
            FetchSettings viaJdk = new FetchSettings("loomcrawl-bench", Duration.ofSeconds(10), Duration.ofSeconds(30),
                    Duration.ofSeconds(30), Duration.ofSeconds(30), 10 << 20, ProxySelector.of(null), null, null);
            try (HttpFetcher jdk = HttpFetcher.create(viaJdk)) {
                run("java.net.http", urls, concurrency, url -> jdk.get(url).length(), round);
            }
            org.eclipse.jetty.client.HttpClient jetty = new org.eclipse.jetty.client.HttpClient();
            jetty.setFollowRedirects(false);
            jetty.setMaxConnectionsPerDestination(concurrency);
            jetty.start();
            try {
                run("Jetty 12 client", urls, concurrency, url -> jetty.newRequest(url).send().getContent().length, round);
            } finally {
                jetty.stop();
            }
        }
    }

    /** A client under test: fetch a URL, return the body size. */
    private interface Fetch {
        int fetch(String url) throws Exception;
    }

    private static void run(String name, List<String> urls, int concurrency, Fetch fetch, int round) throws Exception {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                int k;
                while ((k = next.getAndIncrement()) < urls.size()) {
                    try {
                        fetch.fetch(urls.get(k));
                    } catch (Exception e) {
                        failures.incrementAndGet();
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
        System.out.printf(Locale.ROOT, "round %d  %-28s %6.2f s wall  %7.0f pages/s  %6.1f us CPU/page  %d failures%n",
                round, name, wall, urls.size() / wall, cpu * 1e6 / urls.size(), failures.get());
    }

    private static List<String> htmlUrls(String json) {
        int start = json.indexOf("\"html_urls\"");
        int end = json.indexOf(']', start);
        Matcher m = Pattern.compile("\"(http[^\"]+)\"").matcher(json.substring(start, end));
        List<String> urls = new ArrayList<>();
        while (m.find()) {
            urls.add(m.group(1));
        }
        return urls;
    }

    private static void extract(int pages) {
        SiteGenerator.Site site = SiteGenerator.generate(
                SiteGenerator.Settings.of(pages, 42).pageBytes(30_000).links(20, 60), "http://127.0.0.1:8088");
        List<String> urls = new ArrayList<>();
        List<byte[]> bodies = new ArrayList<>();
        site.resources().forEach((path, r) -> {
            if (r.contentType().startsWith("text/html")) {
                urls.add("http://127.0.0.1:8088" + path);
                bodies.add(r.body());
            }
        });
        long totalBytes = bodies.stream().mapToLong(b -> b.length).sum();
        System.out.printf(Locale.ROOT, "%d pages, %.1f KB average%n", bodies.size(), totalBytes / 1024.0 / bodies.size());
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (int round = 0; round < 5; round++) {
            long links = 0;
            long c0 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < bodies.size(); i++) {
                links += LinkExtractor.links(urls.get(i), bodies.get(i), bodies.get(i).length, "text/html; charset=utf-8").size();
            }
            long scan = mx.getCurrentThreadCpuTime() - c0;
            long jsoupLinks = 0;
            c0 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < bodies.size(); i++) {
                jsoupLinks += jsoup(urls.get(i), bodies.get(i)).size();
            }
            long full = mx.getCurrentThreadCpuTime() - c0;
            System.out.printf(Locale.ROOT, "round %d  streaming scanner %6.1f us/page (%d links)   jsoup parse %6.1f us/page (%d links)%n",
                    round, scan / 1e3 / bodies.size(), links, full / 1e3 / bodies.size(), jsoupLinks);
        }
    }

    private static void content(Path dir, int passes) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(f -> f.toString().endsWith(".html") || f.toString().endsWith(".html.gz")).sorted().toList();
        }
        List<byte[]> pages = new ArrayList<>();
        for (Path f : files) {
            byte[] b = Files.readAllBytes(f);
            if (f.toString().endsWith(".gz")) {
                try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(b))) {
                    b = in.readAllBytes();
                }
            }
            pages.add(b);
        }
        long bytes = pages.stream().mapToLong(b -> b.length).sum();
        System.out.printf(Locale.ROOT, "%d pages, %.1f MB%n", pages.size(), bytes / 1e6);
        for (String what : List.of("extract (markdown)", "jsoup parse alone")) {
            for (int pass = 1; pass <= passes; pass++) {
                long words = 0;
                long t0 = System.nanoTime();
                for (int i = 0; i < pages.size(); i++) {
                    String url = "http://127.0.0.1/" + files.get(i).getFileName();
                    words += what.startsWith("extract")
                            ? ContentExtractor.extract(pages.get(i), "text/html", url, ContentFormat.MARKDOWN).words()
                            : Jsoup.parse(new String(pages.get(i), StandardCharsets.UTF_8), url).childNodeSize();
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                System.out.printf(Locale.ROOT, "%s, pass %d: %.2f s, %.1f pages/s (%d)%n", what, pass, seconds,
                        pages.size() / seconds, words);
            }
        }
    }

    /** The same links through a full jsoup parse. */
    private static List<String> jsoup(String url, byte[] body) {
        Document doc = Jsoup.parse(new String(body, StandardCharsets.UTF_8), url);
        List<String> out = new ArrayList<>();
        for (Element e : doc.select("a[href], area[href], iframe[src], frame[src], link[href][rel~=(?i)^(next|prev|alternate|canonical)$]")) {
            String u = UrlNormalizer.resolve(url, e.attr(e.normalName().endsWith("frame") ? "src" : "href"));
            if (u != null) {
                out.add(u);
            }
        }
        return out.stream().distinct().toList();
    }

}
