package dev.loomcrawl.cli;

import dev.loomcrawl.ContentExtractor;
import dev.loomcrawl.Crawler;
import dev.loomcrawl.CrawlerBuilder;
import dev.loomcrawl.crawl.ContentFormat;
import dev.loomcrawl.crawl.PageContent;
import dev.loomcrawl.crawl.PageResult;
import dev.loomcrawl.output.OutputFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code loomcrawl extract FILE|URL|-}: one page's main content on stdout, as a crawl with {@code --content}
 * extracts it; for trying the extractor, and for pipelines that fetch pages themselves. A URL is fetched once
 * (robots.txt is not asked, as curl does not ask it; up to {@value #MAX_REDIRECTS} redirects are followed, to any
 * http(s) URL, as curl's {@code -L} follows them).
 */
@Command(name = "extract", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "Print one page's main content (Markdown by default) from a file, stdin (-) or a URL.")
final class ExtractCommand implements Callable<Integer> {

    /** The redirects followed to the page, as curl's {@code -L} and browsers follow them. */
    private static final int MAX_REDIRECTS = 10;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE|URL|-", description = "The page: an HTML file, - for stdin, or an http(s) URL.")
    String source;

    @Option(names = "--format", paramLabel = "FORMAT", description = "markdown, text or json (the metadata and the "
            + "Markdown as one JSON object) (default: ${DEFAULT-VALUE}).")
    String format = "markdown";

    @Option(names = "--base-url", paramLabel = "URL", description = "Resolve the relative links of a file or of "
            + "stdin against URL.")
    String baseUrl;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Give up fetching a URL after this long (default: 30s).")
    Duration timeout = Duration.ofSeconds(30);

    @Option(names = "--ca-cert", paramLabel = "FILE", description = "Trust the certificates in this PEM file too.")
    List<Path> caCerts = new ArrayList<>();

    @Option(names = {"-k", "--insecure"}, description = "Check neither TLS certificates nor host names.")
    boolean insecure;

    @Override
    public Integer call() {
        CommandLine cli = spec.commandLine();
        PrintWriter err = cli.getErr();
        String chosen = format.trim().toLowerCase(Locale.ROOT);
        boolean json = chosen.equals("json");
        ContentFormat contentFormat;
        try {
            contentFormat = json ? ContentFormat.MARKDOWN : ContentFormat.named(chosen);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cli, "format must be one of markdown, text, json; was '" + format + "'");
        }
        String url;
        PageContent content;
        if (source.startsWith("http://") || source.startsWith("https://")) {
            if (baseUrl != null) {
                throw new CommandLine.ParameterException(cli, "--base-url is for a file or stdin; a URL is its own base");
            }
            url = CrawlOptions.start(cli, source);
            CrawlerBuilder builder = Crawler.builder().content(contentFormat).maxDepth(0).respectRobots(false)
                    .sitemaps(false).retries(1).requestTimeout(timeout).maxTime(timeout.plusSeconds(5));
            try {
                CrawlOptions.trust(builder, caCerts, insecure);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(cli, e.getMessage());
            }
            if (insecure) {
                err.println("loomcrawl: warning: --insecure: TLS certificates and host names are not checked");
            }
            PageResult page = fetch(builder.build(), url, err);
            if (page == null) {
                return ExitCode.START_UNREACHABLE;
            }
            url = page.url();
            content = page.content();
        } else {
            if (baseUrl != null) {
                baseUrl = CrawlOptions.start(cli, baseUrl); // an absolute http(s) URL, else a usage error
            }
            byte[] html;
            try (InputStream in = source.equals("-") ? System.in : Files.newInputStream(Path.of(source))) {
                html = in.readNBytes(64 << 20);
            } catch (NoSuchFileException e) {
                err.println("loomcrawl: no such file: " + source);
                return ExitCode.USAGE;
            } catch (IOException e) {
                err.println("loomcrawl: cannot read " + source + ": " + e.getMessage());
                return ExitCode.USAGE;
            }
            url = baseUrl;
            content = ContentExtractor.extract(html, null, baseUrl, contentFormat);
        }
        PrintWriter out = cli.getOut();
        if (json) {
            out.print(OutputFormat.contentRecord(url, content));
        } else if (!content.body().isEmpty()) {
            out.println(content.body());
        }
        out.flush();
        if (content.reason() != null) {
            err.println("loomcrawl: " + content.reason());
        }
        if (out.checkError()) {
            err.println("loomcrawl: cannot write output: stdout is closed");
            return ExitCode.OUTPUT_ERROR;
        }
        return ExitCode.OK;
    }

    /** The page at {@code url}, after {@value #MAX_REDIRECTS} redirects at most; {@code null} when it could not be had (said). */
    private static PageResult fetch(Crawler crawler, String url, PrintWriter err) {
        String next = url;
        PageResult last = null;
        for (int hop = 0; hop <= MAX_REDIRECTS && next != null; hop++) {
            List<PageResult> pages = new ArrayList<>();
            crawler.crawl(next, pages::add);
            last = pages.isEmpty() ? null : pages.getFirst();
            if (last == null || last.content() != null) {
                break;
            }
            next = last.redirect();
            if (next != null && !next.startsWith("http://") && !next.startsWith("https://")) {
                break;
            }
        }
        if (last != null && last.content() != null) {
            return last;
        }
        if (last == null || !last.hasResponse()) {
            err.println(CrawlOptions.unreachable(url, last == null ? "not requested" : last.error()));
        } else {
            err.println("loomcrawl: " + last.url() + " gave " + last.status()
                    + (last.redirect() != null ? " to " + last.redirect() + ", more than " + MAX_REDIRECTS + " redirects"
                    : last.isHtml() ? "" : " and " + (last.contentType() == null ? "no content type" : last.contentType()) + ", not HTML"));
        }
        return null;
    }
}
