package dev.loomcrawl.cli;

import dev.loomcrawl.CrawlStore;
import dev.loomcrawl.CrawlerBuilder;
import dev.loomcrawl.RequestLimit;
import dev.loomcrawl.crawl.CrawlSummary;
import dev.loomcrawl.crawl.PageResult;
import dev.loomcrawl.crawl.StopReason;
import dev.loomcrawl.crawl.StoreException;
import dev.loomcrawl.crawl.Ticker;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import picocli.CommandLine;

/**
 * A run of {@code crawl} or {@code check} over many sites: each site is its own crawl (its own scope, robots.txt,
 * politeness, limits and store), started as a place frees up, with every site's requests under one
 * {@link RequestLimit} of {@code --concurrency}. A site that fails is a result with its reason and never stops the
 * others. Ctrl-C (an interrupt of the calling thread) cancels the sites in flight and starts no more.
 *
 * <p>Each site's crawl has {@code --per-host} requests in flight at most (default
 * {@value #DEFAULT_PER_SITE}, or {@code --concurrency} when that is smaller). {@value #SITES_PER_SLOT} times as many
 * sites as the run's requests in flight fit crawl at once, and besides them sites that wait ({@link Places}): a site
 * waiting for a dead host's retries holds no request slot, so others use it.
 */
final class ManySites {

    /** Requests in flight to one site when {@code --per-host} is not given. */
    static final int DEFAULT_PER_SITE = 4;
    /** How many sites run at once for each site's worth of request slots. */
    static final int SITES_PER_SLOT = 4;
    /** The most sites that run at once, crawling or waiting. */
    static final int MOST_AT_ONCE = 1024;
    /** How long a site with no request in flight and no answer counts as crawling still. */
    static final long WAITING_MILLIS = 50;

    /** How a site's run went. */
    enum Result {
        /** Crawled to its end (all it reaches, or its page limit). */
        CLEAN,
        /** Not crawled: its line is not an http(s) URL, or names a site listed before. */
        BAD_LINE,
        /** Its start URL gave no response, was excluded by robots.txt or a filter (exit code 3). */
        START_FAILED,
        /** Interrupted, or stopped at --max-time: the run is unfinished, and resumes it. */
        CUT_SHORT,
        /** Its store could not be used (exit code 6), or its output or archive not written (exit code 4). */
        FAILED
    }

    /**
     * What one site's run came to.
     *
     * @param summary its crawl's summary, or {@code null} when it was not crawled
     * @param problem why it did not finish cleanly, or {@code null} when {@link Result#CLEAN}
     */
    record Outcome(SiteList.Site site, Result result, CrawlSummary summary, String problem) {}

    /** What a command does with one site: crawl it, or replay it from its finished store. */
    interface SiteWork {
        /**
         * Runs one site; called on the site's own thread, for many sites at once.
         *
         * @param crawler the site's crawler settings (its limits, the run's request limit, the progress inspector)
         * @param store the site's store, begun (new, or resumed), or {@code null} without state
         * @param finished whether {@code store} holds the site finished by an earlier run: write it again from there
         */
        Outcome run(SiteList.Site site, CrawlerBuilder crawler, CrawlStore store, boolean finished) throws Exception;
    }

    /** The sites of a run and its state, once every option and output was checked. */
    record Start(List<SiteList.Site> sites, SitesState state) {}

    /**
     * Checks the options (a usage error, exit 2), reads the list, checks the output files (exit 4), and opens the
     * run's state (a new run, or a resumed one), in that order, before anything is written.
     *
     * @param outputs the output files the command's options name
     * @param fresh a new instance of the command, to read a resumed run's stored options with
     */
    static Start open(CommandLine cli, CrawlOptions options, List<String> urls, List<Path> outputs, String kind,
                      Supplier<Object> fresh, boolean quiet) {
        Path stateDir;
        try {
            options.builder(cli).build();
            stateDir = options.sitesStateDirectory();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cli, CrawlOptions.inOptionWords(e.getMessage()));
        }
        List<SiteList.Site> sites = SiteList.of(urls, options.sites, System.in);
        if (sites.stream().allMatch(s -> s.problem() != null)) {
            SiteList.Site first = sites.getFirst();
            throw new Refused("no site to crawl: " + first.given() + " (" + first.where() + "): " + first.problem()
                    + (sites.size() > 1 ? ", and the other " + (sites.size() - 1) + " likewise" : ""), ExitCode.USAGE);
        }
        OutputFiles.checkWritable(outputs, options.warc);
        SitesState state = stateDir == null ? null : SitesState.open(cli, fresh, stateDir, options.fresh, kind,
                sites.stream().map(SiteList.Site::name).toList(), cli.getErr(), quiet);
        return new Start(sites, state);
    }

    private final CommandLine cli;
    private final CrawlOptions options;
    private final List<SiteList.Site> sites;
    private final SitesState state;
    private final SiteFiles files;
    private final Progress progress;
    private final Ticker ticker = Ticker.system();
    private final RequestLimit limit;
    private final int perSite;
    private final int atOnce;
    private volatile boolean storeFailed;

    ManySites(CommandLine cli, CrawlOptions options, List<SiteList.Site> sites, SitesState state, SiteFiles files,
              Progress progress) {
        this.cli = cli;
        this.options = options;
        this.sites = sites;
        this.state = state;
        this.files = files;
        this.progress = progress;
        this.limit = RequestLimit.of(options.concurrency);
        this.perSite = Math.min(options.perHost != null ? options.perHost : DEFAULT_PER_SITE, options.concurrency);
        this.atOnce = Math.max(1, options.concurrency / perSite) * SITES_PER_SLOT;
    }

    /** The run's request limit: its peak is the most requests in flight across all sites. */
    RequestLimit limit() {
        return limit;
    }

    /**
     * Runs every site, in list order as places free up, until all are done, {@code --max-time} is reached, or the
     * calling thread is interrupted (Ctrl-C): then the sites in flight are cancelled and no more start.
     *
     * @param finished told each site's outcome when its run ended (on the site's thread; fast)
     * @return each site's outcome, by index; {@code null} for a site that did not start
     */
    Outcome[] run(SiteWork work, Consumer<Outcome> finished) {
        Outcome[] outcomes = new Outcome[sites.size()];
        for (SiteList.Site site : sites) {
            if (site.problem() != null) {
                outcomes[site.index()] = new Outcome(site, Result.BAD_LINE, null, site.problem());
                finished.accept(outcomes[site.index()]);
            }
        }
        long began = ticker.nanoTime();
        Places places = new Places();
        boolean interrupted = false;
        try (ExecutorService pool = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("loomcrawl-site-", 0).factory())) {
            for (SiteList.Site site : sites) {
                if (site.problem() != null) {
                    continue;
                }
                Running place;
                try {
                    place = places.take();
                } catch (InterruptedException e) {
                    interrupted = true;
                    break;
                }
                Duration left = options.maxTime == null ? null
                        : options.maxTime.minusNanos(ticker.nanoTime() - began);
                if (left != null && !left.isPositive()) {
                    places.giveBack(place);
                    break;
                }
                pool.execute(() -> {
                    Outcome o = new Outcome(site, Result.FAILED, null, "failed");
                    try {
                        o = runOne(site, work, left, place);
                    } finally {
                        outcomes[site.index()] = o;
                        places.giveBack(place);
                        finished.accept(o);
                    }
                });
            }
            if (interrupted) {
                pool.shutdownNow();
            }
        } // close() waits for the sites in flight; interrupted while waiting, it cancels them and keeps the interrupt
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return outcomes;
    }

    /**
     * A running site, as {@link Places} counts it: its share of the run's request limit, since when its crawl runs
     * ({@link Long#MAX_VALUE} while its store is opened), and when its host last answered.
     */
    private static final class Running {
        final RequestLimit share;
        volatile long since = Long.MAX_VALUE;
        long answered;
        long answeredAt;

        Running(RequestLimit share) {
            this.share = share;
        }

        /** Whether the site is crawling: starting, with a request in flight, or answered lately. */
        boolean crawling(long now) {
            long started = since;
            if (started == Long.MAX_VALUE || share.inFlight() > 0) {
                return true;
            }
            long n = share.answered();
            if (n != answered) {
                answered = n;
                answeredAt = now;
            }
            return now - Math.max(answeredAt, started) < TimeUnit.MILLISECONDS.toNanos(WAITING_MILLIS);
        }
    }

    /**
     * How many sites run at once: {@link #atOnce} that are crawling, and besides them, up to {@value #MOST_AT_ONCE}
     * in all, sites that wait: none of their requests in flight and no answer from their host for
     * {@value #WAITING_MILLIS} ms (a dead host's retries, a {@code Crawl-delay}, a host that asked to slow down). Sites that crawl keep the number, and
     * the memory, low; sites that wait let others use the run's request slots meanwhile.
     */
    private final class Places {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition ended = lock.newCondition();
        private final Set<Running> running = new HashSet<>();

        Running take() throws InterruptedException {
            lock.lockInterruptibly();
            try {
                while (running.size() >= MOST_AT_ONCE || crawling() >= atOnce) {
                    ended.await(WAITING_MILLIS, TimeUnit.MILLISECONDS); // or look again at what the sites do
                }
                Running site = new Running(limit.share());
                running.add(site);
                return site;
            } finally {
                lock.unlock();
            }
        }

        private int crawling() {
            long now = ticker.nanoTime();
            int n = 0;
            for (Running r : running) {
                if (r.crawling(now)) {
                    n++;
                }
            }
            return n;
        }

        void giveBack(Running site) {
            lock.lock();
            try {
                running.remove(site);
                ended.signal();
            } finally {
                lock.unlock();
            }
        }
    }

    private Outcome runOne(SiteList.Site site, SiteWork work, Duration left, Running place) {
        CrawlerBuilder crawler = options.builder(cli).concurrency(perSite).perHost(perSite).requestLimit(place.share)
                .inspector(progress.discovering()).maxTime(left);
        if (options.warc != null) {
            crawler.warc(warcOf(options.warc, files.name(site.index())), options.warcMaxSize);
        }
        CrawlStore store = null;
        try {
            boolean done = false;
            if (state != null) {
                store = state.store(site.index());
                CrawlStore.Stored stored = store.stored().orElse(null);
                if (stored != null && stored.state() == CrawlStore.State.FINISHED) {
                    store.checkIntact();
                    done = true;
                } else if (stored != null) {
                    store.resume();
                } else {
                    store.startNew(site.start(), state.kind(), state.settings());
                }
            }
            place.since = ticker.nanoTime();
            return work.run(site, crawler, store, done);
        } catch (StoreException e) {
            return new Outcome(site, Result.FAILED, null, "state: " + e.getMessage());
        } catch (Exception e) {
            String message = e instanceof UncheckedIOException io ? CrawlOptions.writeFailure(io)
                    : e.getCause() instanceof UncheckedIOException io ? CrawlOptions.writeFailure(io)
                    : String.valueOf(e.getMessage());
            return new Outcome(site, Result.FAILED, null, message.startsWith("cannot ") ? message : "failed: " + message);
        } finally {
            if (store != null) {
                closeStore(store, site);
            }
        }
    }

    /** Closes a site's store; its last writes failing is the site's failure, told on stderr (it ran already). */
    private void closeStore(CrawlStore store, SiteList.Site site) {
        try {
            store.close();
        } catch (RuntimeException e) {
            cli.getErr().println("loomcrawl: " + site.name() + ": state: " + e.getMessage());
            storeFailed = true;
        }
    }

    /** Whether a site's store failed as it closed: the run's exit code is then {@link ExitCode#STATE_ERROR}. */
    boolean storeFailed() {
        return storeFailed;
    }

    /** {@code site.warc.gz} for the site named {@code name}: {@code site-NAME.warc.gz}. */
    static Path warcOf(Path warc, String name) {
        String file = warc.getFileName().toString();
        int ext = file.indexOf(".warc");
        String base = ext > 0 ? file.substring(0, ext) : file;
        String rest = ext > 0 ? file.substring(ext) : ".warc.gz";
        return warc.resolveSibling(base + "-" + name + rest);
    }

    /** How one site went, from its crawl's summary and start page (null when not requested). */
    static Outcome outcome(SiteList.Site site, CrawlSummary summary, PageResult startPage) {
        if (summary.stopReason() == StopReason.CANCELLED) {
            return new Outcome(site, Result.CUT_SHORT, summary, "interrupted");
        }
        if (startPage == null && summary.excluded().containsKey("robots")) {
            return new Outcome(site, Result.START_FAILED, summary, "start URL excluded by robots.txt ("
                    + summary.robotsOutcome() + "; --ignore-robots crawls anyway)");
        }
        if (startPage == null && summary.pages() == 0 && summary.stopReason() == StopReason.COMPLETED) {
            return new Outcome(site, Result.START_FAILED, summary, "start URL not requested ("
                    + String.join(", ", summary.excluded().keySet()) + ")");
        }
        if (startPage != null && !startPage.hasResponse()) {
            return new Outcome(site, Result.START_FAILED, summary,
                    "start URL unreachable: " + CrawlOptions.because(startPage.error()));
        }
        if (summary.stopReason() == StopReason.MAX_TIME) {
            return new Outcome(site, Result.CUT_SHORT, summary, "stopped at --max-time");
        }
        if (summary.stopReason() == StopReason.FAILED) {
            return new Outcome(site, Result.FAILED, summary, "failed");
        }
        return new Outcome(site, Result.CLEAN, summary, null);
    }

    /**
     * The run's totals as one summary: pages, statuses, bytes and exclusions summed, the peak of the run's requests
     * in flight, the run's time, and its stop reason (interrupted, stopped at --max-time when sites were left, or
     * completed).
     */
    CrawlSummary totals(Outcome[] outcomes, Duration elapsed, boolean interrupted) {
        List<CrawlSummary> summaries = new ArrayList<>();
        boolean left = false;
        for (Outcome o : outcomes) {
            left |= o == null || o.result() == Result.CUT_SHORT;
            if (o != null && o.summary() != null) {
                summaries.add(o.summary());
            }
        }
        StopReason reason = interrupted ? StopReason.CANCELLED : left ? StopReason.MAX_TIME : StopReason.COMPLETED;
        return sum(summaries, elapsed, reason, limit.peak(), ticker.instant());
    }

    /**
     * Sites' summaries as one: pages, statuses, bytes and exclusions summed, the first site's start URL, the earliest
     * start ({@code orNow} when there is none), and {@code reason}, or {@link StopReason#MAX_PAGES} for a completed
     * run in which a site stopped at its page limit.
     */
    static CrawlSummary sum(List<CrawlSummary> summaries, Duration elapsed, StopReason reason, int peak,
                            Instant orNow) {
        long pages = 0;
        long errors = 0;
        long bytes = 0;
        SortedMap<Integer, Long> statuses = new TreeMap<>();
        SortedMap<String, Long> excluded = new TreeMap<>();
        Instant started = null;
        for (CrawlSummary s : summaries) {
            if (reason == StopReason.COMPLETED && s.stopReason() == StopReason.MAX_PAGES) {
                reason = StopReason.MAX_PAGES; // a site's report is partial: so is the run's
            }
            pages += s.pages();
            errors += s.errors();
            bytes += s.bytes();
            s.statuses().forEach((k, v) -> statuses.merge(k, v, Long::sum));
            s.excluded().forEach((k, v) -> excluded.merge(k, v, Long::sum));
            started = started == null || s.started().isBefore(started) ? s.started() : started;
        }
        return new CrawlSummary(summaries.isEmpty() ? null : summaries.getFirst().startUrl(), pages, errors, statuses,
                bytes, excluded, null, peak, elapsed, reason, List.of(), 0, null, started == null ? orNow : started);
    }

    /**
     * Tells the run's end on {@code err}: how many sites did what, the totals' summary line, and a line for each site
     * that did not finish cleanly (not crawled, its start failed, interrupted, stopped at a limit).
     */
    static void summary(PrintWriter err, Outcome[] outcomes, CrawlSummary totals) {
        int clean = 0;
        int notStarted = 0;
        List<String> lines = new ArrayList<>();
        for (Outcome o : outcomes) {
            if (o == null) {
                notStarted++;
            } else if (o.problem() == null) {
                clean++;
            } else {
                lines.add("loomcrawl:   " + o.site().name() + " (" + o.site().where() + "): " + o.problem());
            }
        }
        err.println(String.format(Locale.ROOT, "loomcrawl: %,d sites: %,d crawled cleanly, %,d not%s", outcomes.length,
                clean, lines.size(), notStarted == 0 ? "" : String.format(Locale.ROOT, ", %,d not started", notStarted)));
        err.println(Progress.summaryLine(totals));
        lines.forEach(err::println);
    }

    /** Tells on {@code err} of each site whose store or output failed: what {@code --quiet} still says. */
    static void failures(PrintWriter err, Outcome[] outcomes) {
        for (Outcome o : outcomes) {
            if (o != null && o.result() == Result.FAILED) {
                err.println("loomcrawl: " + o.site().name() + " (" + o.site().where() + "): " + o.problem());
            }
        }
    }

    /** Whether the site's crawl ran to its end: not interrupted, not cut off by --max-time, not failed. */
    static boolean whole(Outcome o) {
        return o.result() == Result.CLEAN || o.result() == Result.START_FAILED;
    }

    /**
     * Whether every site of the run came to its end: none left unstarted, cut short or failed. A finished run is
     * replaced by the next one; another resumes it.
     */
    static boolean finished(Outcome[] outcomes, boolean interrupted) {
        if (interrupted) {
            return false;
        }
        for (Outcome o : outcomes) {
            if (o == null || o.result() == Result.CUT_SHORT || o.result() == Result.FAILED) {
                return false;
            }
        }
        return true;
    }

    /**
     * The run's exit code by its sites, after an interrupt and the output's own failures were told: a site's store
     * that failed ({@link ExitCode#STATE_ERROR}) or its output ({@link ExitCode#OUTPUT_ERROR}), then a site whose
     * start failed ({@link ExitCode#START_UNREACHABLE}), else {@code otherwise}.
     */
    int exitCode(Outcome[] outcomes, int otherwise) {
        boolean output = false;
        boolean state = storeFailed;
        boolean start = false;
        for (Outcome o : outcomes) {
            if (o != null && o.result() == Result.FAILED) {
                state |= o.problem().startsWith("state: ");
                output |= !o.problem().startsWith("state: ");
            }
            start |= o != null && o.result() == Result.START_FAILED;
        }
        return state ? ExitCode.STATE_ERROR : output ? ExitCode.OUTPUT_ERROR
                : start ? ExitCode.START_UNREACHABLE : otherwise;
    }

    Duration elapsedSince(long began) {
        return Duration.ofNanos(ticker.nanoTime() - began);
    }

    long now() {
        return ticker.nanoTime();
    }
}
