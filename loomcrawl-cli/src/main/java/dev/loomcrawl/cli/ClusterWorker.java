package dev.loomcrawl.cli;

import dev.loomcrawl.CrawlStore;
import dev.loomcrawl.CrawlerBuilder;
import dev.loomcrawl.LinkChecker;
import dev.loomcrawl.RequestLimit;
import dev.loomcrawl.SharedChecks;
import dev.loomcrawl.check.CheckReport;
import dev.loomcrawl.check.Verdict;
import dev.loomcrawl.crawl.CrawlSummary;
import dev.loomcrawl.crawl.PageResult;
import dev.loomcrawl.crawl.PageSink;
import dev.loomcrawl.crawl.StopReason;
import dev.loomcrawl.output.CheckFormat;
import dev.loomcrawl.output.OutputFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A worker of a cluster: a member of the consumer group of the sites topic that crawls the sites of the partitions
 * the group gives it, many at once under one request limit, and publishes each site's journal, output and done
 * record to the results topic.
 *
 * <p><b>One thread owns the clients.</b> The thread that calls {@link #run} polls the consumer, runs the rebalance
 * callbacks, and is the only user of the {@link Publisher}: the sites' threads hand what they publish to it through
 * a queue. Every {@value #COMMIT_MILLIS} ms, and when a site ends, it commits one Kafka transaction holding what was
 * published since the last one and, for each partition it owns, the offset of its first unfinished site, sent with
 * the consumer's group metadata. A failure of the cluster is told once and tried again; only an interrupt stops the
 * worker. A worker that lost its partitions without knowing (paused past its session timeout)
 * is fenced there: the group's coordinator refuses the offsets of a stale generation, and the transaction is
 * aborted, its records never seen by readers (who read committed records only).
 *
 * <p><b>Handing over.</b> A partition revoked (a worker joined, or this one stops) has its sites cancelled, what they
 * published committed with their offsets, and only then is it given up: the next owner starts after. A partition
 * assigned is first read back from the results topic: sites with a done record are skipped, and the journal of each
 * unfinished site is restored into the site's new store, so its pages are recalled, not requested again.
 */
final class ClusterWorker implements ConsumerRebalanceListener, AutoCloseable {

    /** How often published records are committed: what a killed worker loses at most, besides pages in flight. */
    static final long COMMIT_MILLIS = 200;
    /** How long a dead worker keeps its partitions: the group's session timeout (the broker's least). */
    static final int SESSION_MILLIS = 6000;
    /** How long a dead worker's open transaction holds back readers of its partitions before it is aborted. */
    static final int TRANSACTION_MILLIS = 10_000;
    /** The largest journal entry published; a larger page is not kept, and a next owner requests it again. */
    static final int JOURNAL_ENTRY_MAX = Cluster.MAX_RECORD - 64 * 1024;
    /** How long a handover waits for its sites to stop. */
    static final int STOP_SECONDS = 20;

    /** How one site is crawled, from its options after the worker's. */
    interface Sites {
        /**
         * The crawl of {@code site}, sharing {@code share} of the worker's request limit.
         *
         * @throws IllegalArgumentException or {@code CommandLine.ParameterException} when the site's options are not
         *     valid
         */
        Plan plan(SiteRecord site, RequestLimit share);
    }

    /**
     * How a site is crawled: its crawler and, for a {@code check}, what the check asks and what fails it.
     *
     * @param check {@code null} for a crawl
     */
    record Plan(CrawlerBuilder crawler, Check check) {}

    /** A check's own settings: external links and resources checked, and the verdicts that fail it. */
    record Check(boolean external, boolean resources, Set<Verdict> failing) {}

    /** What the sites' threads hand to the worker's thread. */
    private sealed interface Outgoing permits Publish, Ended {}

    /** A record to publish. */
    private record Publish(Publisher.Send send) implements Outgoing {}

    /** A site's thread ended; {@code finished} when its done record was handed over before. */
    private record Ended(int partition, ConsumerRecord<String, byte[]> record, boolean finished) implements Outgoing {}

    /** A partition this worker owns. Owned by the worker's thread. */
    private static final class Owned {
        final int partition;
        final ArrayDeque<ConsumerRecord<String, byte[]>> waiting = new ArrayDeque<>();
        /** The threads of its sites that run, by their records' offsets. */
        final Map<Long, Thread> running = new HashMap<>();
        final TreeSet<Long> unfinished = new TreeSet<>();
        final Set<String> done = new HashSet<>();
        final Map<String, List<byte[]>> journals = new HashMap<>();
        long consumed = -1;
        /** Its sites are being stopped: one that ends unfinished is not started again here. */
        boolean stopping;

        Owned(int partition) {
            this.partition = partition;
        }

        /** The offset to commit: the first site not finished, or past every site polled. */
        long commitOffset() {
            return unfinished.isEmpty() ? consumed : unfinished.first();
        }
    }

    private final String bootstrap;
    private final Cluster.Topics topics;
    private final Sites sites;
    private final RequestLimit limit;
    private final int atOnce;
    private final Path workDir;
    private final PrintWriter err;
    private final boolean quiet;
    private final String name;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Publisher publisher;
    private final LinkedBlockingQueue<Outgoing> outbox = new LinkedBlockingQueue<>();
    private final Map<Integer, Owned> owned = new TreeMap<>();
    /** External links a check asked, for the worker's checks to ask once. */
    private final SharedChecks shared = new SharedChecks();
    private int running;
    private long sitesDone;
    private final LongAdder journalTooLarge = new LongAdder();
    private String lastTrouble;

    ClusterWorker(String bootstrap, Cluster.Topics topics, Sites sites, RequestLimit limit, int atOnce, Path workDir,
                  PrintWriter err, boolean quiet) {
        this.bootstrap = bootstrap;
        this.topics = topics;
        this.sites = sites;
        this.limit = limit;
        this.atOnce = atOnce;
        this.workDir = workDir;
        this.err = err;
        this.quiet = quiet;
        this.name = ProcessHandle.current().pid() + "@" + hostName();
        Properties c = Cluster.common(bootstrap);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, topics.group());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        c.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, SESSION_MILLIS);
        c.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, SESSION_MILLIS / 4);
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 64);
        c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Cluster.MAX_RECORD + 1024);
        c.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Cluster.TIMEOUT.toMillis() * 3);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "loomcrawl-worker-" + name);
        this.consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        try {
            this.publisher = new Publisher(bootstrap, topics, "loomcrawl-worker-" + name, owned::containsKey);
        } catch (RuntimeException e) {
            consumer.close(Duration.ZERO);
            throw e;
        }
    }

    /**
     * Joins the group and crawls until the calling thread is interrupted (Ctrl-C, SIGTERM), then hands its sites
     * back: cancels them, commits what they published with their offsets, and leaves the group.
     */
    void run() {
        consumer.subscribe(List.of(topics.sites()), this);
        long lastCommit = System.nanoTime();
        try {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    ConsumerRecords<String, byte[]> polled = consumer.poll(Duration.ofMillis(50));
                    for (ConsumerRecord<String, byte[]> r : polled) {
                        Owned o = owned.get(r.partition());
                        if (o != null) {
                            o.waiting.add(r);
                            o.unfinished.add(r.offset());
                            o.consumed = Math.max(o.consumed, r.offset() + 1);
                        }
                    }
                    start();
                    boolean ended = drain();
                    if (ended || System.nanoTime() - lastCommit >= COMMIT_MILLIS * 1_000_000) {
                        commit();
                        lastCommit = System.nanoTime();
                    }
                    pauseWhenFull();
                    lastTrouble = null;
                } catch (InterruptException e) {
                    throw e;
                } catch (KafkaException e) {
                    trouble(e); // the cluster is away or refuses: the worker keeps trying, as its sites wait
                    Thread.sleep(500);
                }
            }
        } catch (InterruptException | InterruptedException e) {
            // Ctrl-C while a client waited: the handover below
        }
        Thread.interrupted(); // handing over uses the clients, which an interrupt would stop
    }

    /** Tells of a failure of the cluster once, not at every try. */
    private void trouble(KafkaException e) {
        String what = e.getClass().getSimpleName() + ": " + e.getMessage();
        if (!what.equals(lastTrouble)) {
            err.println("loomcrawl: worker " + name + ": Kafka: " + what + " (trying again)");
            lastTrouble = what;
        }
    }

    /** Starts waiting sites while fewer than {@code atOnce} run, taking them from the partitions in turn. */
    private void start() {
        boolean any = true;
        while (running < atOnce && any) {
            any = false;
            for (Owned o : owned.values()) {
                ConsumerRecord<String, byte[]> r = o.waiting.poll();
                if (r == null) {
                    continue;
                }
                any = true;
                startOne(o, r);
                if (running >= atOnce) {
                    return;
                }
            }
        }
    }

    private void startOne(Owned o, ConsumerRecord<String, byte[]> r) {
        SiteRecord site;
        try {
            site = SiteRecord.fromJson(r.value());
        } catch (IllegalArgumentException e) {
            reject(r, e.getMessage());
            o.unfinished.remove(r.offset());
            return;
        }
        if (o.done.contains(site.id())) {
            o.unfinished.remove(r.offset());
            return;
        }
        Plan plan;
        try {
            plan = sites.plan(site, limit.share());
        } catch (IllegalArgumentException | picocli.CommandLine.ParameterException e) {
            // a site with an id: it ends here, with its reason, so that readers waiting for it are told
            String why = "options: " + e.getMessage();
            reject(r, why);
            ResultRecords.Done done = ResultRecords.Done.without(site.id(), site.url(), "", name,
                    ManySites.Result.BAD_LINE, why, StopReason.COMPLETED);
            publisher.send(new Publisher.Send(topics.results(), o.partition, site.id(), ResultRecords.DONE, "", -1,
                    done.toJson()));
            o.unfinished.remove(r.offset());
            return;
        }
        List<byte[]> journal = o.journals.remove(site.id());
        running++;
        int partition = o.partition;
        Thread thread = Thread.ofVirtual().name("loomcrawl-site-" + site.id()).unstarted(() -> {
            boolean finished = false;
            try {
                finished = crawl(partition, site, plan, journal == null ? List.of() : journal);
            } finally {
                outbox.add(new Ended(partition, r, finished));
            }
        });
        o.running.put(r.offset(), thread);
        thread.start();
    }

    /** Sends a site record that cannot be read to the errors topic, with why. */
    private void reject(ConsumerRecord<String, byte[]> r, String why) {
        var o = SiteRecord.JSON.createObjectNode();
        o.put("topic", r.topic());
        o.put("partition", r.partition());
        o.put("offset", r.offset());
        o.put("key", r.key());
        o.put("error", why);
        o.put("value", r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8));
        o.put("worker", name);
        publisher.send(new Publisher.Send(topics.errors(), -1, r.key(), "error", "", -1,
                o.toString().getBytes(StandardCharsets.UTF_8)));
        if (!quiet) {
            err.println("loomcrawl: worker " + name + ": skipped the record at " + r.topic() + "-" + r.partition() + "@"
                    + r.offset() + " (sent to " + topics.errors() + "): " + why);
        }
    }

    /**
     * Crawls (or checks) one site on its thread into a new store restored from {@code journal}, handing each page
     * recorded to the worker's thread as it goes, then its output and done record.
     *
     * @return whether the site finished (its done record handed over); not when it was interrupted
     */
    private boolean crawl(int partition, SiteRecord site, Plan plan, List<byte[]> journal) {
        String attempt = UUID.randomUUID().toString();
        Path dir = workDir.resolve(site.id().replaceAll("[^A-Za-z0-9._-]", "_") + "-" + attempt.substring(0, 8));
        SiteList.Site listed = new SiteList.Site(site.index(), "kafka", site.url(), site.url(), null);
        long started = System.nanoTime();
        try {
            Path output = Files.createDirectories(dir).resolve("output.jsonl");
            CrawlSummary summary;
            long failing = 0;
            long restored = 0;
            PageResult[] startPage = new PageResult[1];
            PageSink start = page -> {
                if (page.depth() == 0 && startPage[0] == null) {
                    startPage[0] = page;
                }
            };
            try (CrawlStore store = CrawlStore.open(dir.resolve("store"))) {
                store.startNew(site.url(), site.command(), List.of());
                for (byte[] entry : journal) {
                    restored += store.restore(entry) ? 1 : 0;
                }
                store.sync();
                store.journal(entry -> {
                    if (entry.length <= JOURNAL_ENTRY_MAX) {
                        publish(new Publisher.Send(topics.results(), partition, site.id(), ResultRecords.PAGE, attempt,
                                -1, entry));
                    } else {
                        journalTooLarge.increment(); // a page too large to keep: a next owner requests it again
                    }
                });
                try (Writer w = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
                    if (plan.check() == null) {
                        PageSink records = OutputFormat.JSONL.sink(w, site.url());
                        summary = plan.crawler().build().crawl(site.url(), page -> {
                            start.accept(page);
                            records.accept(page);
                        }, store);
                    } else {
                        Check c = plan.check();
                        CheckReport report = LinkChecker.builder().crawler(plan.crawler().build())
                                .externalLinks(c.external()).resources(c.resources()).sharedChecks(shared).build()
                                .check(site.url(), start, store);
                        summary = report.crawl();
                        if (!report.partial()) {
                            CheckFormat.JSONL.write(List.of(report), report, c.failing(), CheckFormat.SHOWN, w);
                            failing = report.failing(c.failing()).size();
                        }
                    }
                }
            }
            if (summary.stopReason() == StopReason.CANCELLED || Thread.currentThread().isInterrupted()) {
                return false;
            }
            ManySites.Outcome outcome = ManySites.outcome(listed, summary, startPage[0]);
            int chunks = 0;
            try (InputStream in = Files.newInputStream(output)) {
                byte[] chunk;
                while ((chunk = in.readNBytes(ResultRecords.CHUNK)).length > 0) {
                    publish(new Publisher.Send(topics.results(), partition, site.id(), ResultRecords.OUTPUT, attempt,
                            chunks, chunk));
                    chunks++;
                }
            }
            ResultRecords.Done done = new ResultRecords.Done(site.id(), site.url(), attempt, name,
                    outcome.result().name(), outcome.problem(), summary.pages(), summary.errors(), summary.bytes(),
                    summary.stopReason().name(), summary.elapsed().toMillis(), chunks, restored, failing);
            publish(new Publisher.Send(topics.results(), partition, site.id(), ResultRecords.DONE, attempt, -1,
                    done.toJson()));
            if (!quiet) {
                err.println(String.format(Locale.ROOT, "loomcrawl: worker %s: %s done: %,d pages (%,d recalled) in %.1f s%s",
                        name, site.url(), summary.pages(), restored, (System.nanoTime() - started) / 1e9,
                        outcome.problem() == null ? "" : ": " + outcome.problem()));
            }
            return true;
        } catch (Exception | StackOverflowError e) {
            if (Thread.currentThread().isInterrupted() || e instanceof InterruptedException) {
                return false;
            }
            String why = e instanceof java.io.UncheckedIOException io ? CrawlOptions.writeFailure(io) : String.valueOf(e.getMessage());
            err.println("loomcrawl: worker " + name + ": " + site.url() + " failed here: " + why);
            ResultRecords.Done failed = ResultRecords.Done.without(site.id(), site.url(), attempt, name,
                    ManySites.Result.FAILED, "failed on worker " + name + ": " + why, StopReason.FAILED);
            publish(new Publisher.Send(topics.results(), partition, site.id(), ResultRecords.DONE, attempt, -1,
                    failed.toJson()));
            return true;
        } finally {
            delete(dir);
        }
    }

    private void publish(Publisher.Send send) {
        outbox.add(new Publish(send));
    }

    /**
     * Publishes what the sites handed over; returns whether a site ended. A site that ended unfinished while its
     * partition is still this worker's (not stopped by a handover) waits to start again.
     */
    private boolean drain() {
        boolean ended = false;
        Outgoing o;
        while ((o = outbox.poll()) != null) {
            switch (o) {
                case Publish p -> publisher.send(p.send());
                case Ended e -> {
                    ended = true;
                    running--;
                    Owned w = owned.get(e.partition());
                    if (w != null) {
                        w.running.remove(e.record().offset());
                        if (e.finished()) {
                            w.unfinished.remove(e.record().offset());
                            sitesDone++;
                        } else if (!w.stopping) {
                            w.waiting.addFirst(e.record());
                        }
                    }
                }
            }
        }
        return ended;
    }

    /** Commits what was published with each owned partition's offset; returns whether it was committed. */
    private boolean commit() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (Owned o : owned.values()) {
            if (o.consumed >= 0) {
                offsets.put(new TopicPartition(topics.sites(), o.partition), new OffsetAndMetadata(o.commitOffset()));
            }
        }
        return publisher.commit(offsets, consumer.groupMetadata());
    }

    /** Stops taking sites while enough wait: the group still sees this worker polling. */
    private void pauseWhenFull() {
        int waiting = owned.values().stream().mapToInt(o -> o.waiting.size()).sum();
        Set<TopicPartition> assigned = consumer.assignment();
        if (waiting >= atOnce) {
            consumer.pause(assigned);
        } else if (!consumer.paused().isEmpty()) {
            consumer.resume(consumer.paused());
        }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        Map<Integer, Owned> read;
        while (true) { // a partition is not worked until it is read back
            try {
                read = readBack(partitions);
                break;
            } catch (InterruptException e) {
                throw e;
            } catch (KafkaException e) {
                trouble(e);
            }
        }
        owned.putAll(read);
        if (!quiet) {
            err.println("loomcrawl: worker " + name + ": assigned partitions " + numbers(partitions) + " of "
                    + topics.sites() + "; now " + owned.keySet());
        }
    }

    /**
     * Reads the results partitions of these partitions' numbers, with one consumer: the sites done, and the journals
     * of the others.
     */
    private Map<Integer, Owned> readBack(Collection<TopicPartition> partitions) {
        Map<Integer, Owned> read = new TreeMap<>();
        List<TopicPartition> results = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            read.put(tp.partition(), new Owned(tp.partition()));
            results.add(new TopicPartition(topics.results(), tp.partition()));
        }
        try (KafkaConsumer<String, byte[]> reader = Cluster.reader(bootstrap)) {
            Cluster.readToEnd(reader, results, r -> {
                Owned o = read.get(r.partition());
                String type = ResultRecords.header(r.headers(), "type");
                if (ResultRecords.DONE.equals(type)) {
                    o.done.add(r.key());
                    o.journals.remove(r.key());
                } else if (ResultRecords.PAGE.equals(type) && !o.done.contains(r.key())) {
                    o.journals.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value());
                }
            });
        }
        return read;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        List<Owned> going = ownedOf(partitions);
        if (going.isEmpty()) {
            return;
        }
        stopSites(going);
        drain();
        boolean committed = false;
        for (int tries = 0; tries < 3 && !committed; tries++) {
            committed = commit(); // what the sites published, with their offsets, before the next owner reads them
        }
        going.forEach(o -> owned.remove(o.partition));
        if (!committed) {
            publisher.abort(); // nothing of theirs may commit once they are gone: the next owner redoes it
        }
        if (!quiet) {
            err.println("loomcrawl: worker " + name + ": handed back partitions " + numbers(partitions) + "; now "
                    + owned.keySet());
        }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        List<Owned> lost = ownedOf(partitions);
        stopSites(lost);
        lost.forEach(o -> owned.remove(o.partition));
        drain();
        publisher.abort(); // another worker owns them now: nothing of theirs may be committed
        if (!quiet) {
            err.println("loomcrawl: worker " + name + ": lost partitions " + numbers(partitions) + " (fenced); now "
                    + owned.keySet());
        }
    }

    private List<Owned> ownedOf(Collection<TopicPartition> partitions) {
        List<Owned> out = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            Owned o = owned.get(tp.partition());
            if (o != null) {
                out.add(o);
            }
        }
        return out;
    }

    /**
     * Cancels the sites of these partitions and waits until their threads end, {@value #STOP_SECONDS} s at most: a
     * site that does not end by then publishes nothing more (its partition is no longer this worker's).
     */
    private void stopSites(List<Owned> partitions) {
        List<Thread> threads = new ArrayList<>();
        for (Owned o : partitions) {
            o.stopping = true;
            o.waiting.clear();
            for (Thread t : o.running.values()) {
                t.interrupt();
                threads.add(t);
            }
        }
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STOP_SECONDS);
        for (Thread t : threads) {
            while (true) {
                try {
                    t.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // a second Ctrl-C: the sites still end first
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static String numbers(Collection<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::partition).sorted().toList().toString();
    }

    /** How many sites this worker finished. */
    long sitesDone() {
        return sitesDone;
    }

    /** How many pages were too large for the journal ({@link #JOURNAL_ENTRY_MAX}). */
    long journalTooLarge() {
        return journalTooLarge.sum();
    }

    String name() {
        return name;
    }

    /** Hands every site back (see {@link #run}) and closes the clients. */
    @Override
    public void close() {
        try {
            consumer.close(Duration.ofSeconds(20)); // revokes every partition: its sites stop, their work is committed
        } catch (KafkaException e) {
            stopSites(List.copyOf(owned.values()));
            owned.clear();
        } finally {
            publisher.close();
        }
    }

    /** Deletes {@code dir} and what it holds, as far as it can. */
    static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(dir)) {
            for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a site's scratch directory: the work directory is the worker's to clear
        }
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
