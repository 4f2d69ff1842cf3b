package dev.loomcrawl.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The Kafka cluster a worker, a submit or a results command talks to, and its three topics, each named
 * {@code PREFIX.NAME}:
 * <ul>
 *   <li>{@code PREFIX.sites}: the sites to crawl ({@link SiteRecord}), keyed by host, so that the default
 *       partitioner sends every site of a host to one partition, and so to one worker at a time;</li>
 *   <li>{@code PREFIX.results}: each site's journal of fetched pages, its output and its "done" record
 *       ({@link ResultRecords}), keyed by the site's id, in the partition of the same number as the site's;</li>
 *   <li>{@code PREFIX.errors}: site records that could not be read, with the reason.</li>
 * </ul>
 * A missing topic is created with {@code partitions} partitions (the sites and results topics must have as many)
 * and the broker's default replication. Every call gives up after {@link #TIMEOUT}: an unreachable broker is a
 * {@link Refused} with {@link ExitCode#CLUSTER_UNAVAILABLE}, never a hang.
 */
final class Cluster implements AutoCloseable {

    /** Partitions of a topic created here, when {@code --partitions} does not say. */
    static final int DEFAULT_PARTITIONS = 48;
    /** The longest a call to the cluster waits before the command gives up. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** The largest record the topics take and the clients send. */
    static final int MAX_RECORD = 8 << 20;
    /** The default topic prefix. */
    static final String DEFAULT_PREFIX = "loomcrawl";

    /** The names of a cluster's topics. */
    record Topics(String prefix) {
        Topics {
            if (prefix.isEmpty() || !prefix.matches("[A-Za-z0-9._-]{1,200}")) {
                throw new IllegalArgumentException("--topics must be 1 to 200 letters, digits, '.', '_' or '-'; was '"
                        + prefix + "'");
            }
        }

        String sites() {
            return prefix + ".sites";
        }

        String results() {
            return prefix + ".results";
        }

        String errors() {
            return prefix + ".errors";
        }

        /** The worker's consumer group. */
        String group() {
            return prefix + ".workers";
        }
    }

    private final String bootstrap;
    private final Topics topics;
    private final Admin admin;

    private Cluster(String bootstrap, Topics topics, Admin admin) {
        this.bootstrap = bootstrap;
        this.topics = topics;
        this.admin = admin;
    }

    /**
     * Connects to the cluster at {@code bootstrap} and checks that it answers.
     *
     * @throws Refused with {@link ExitCode#CLUSTER_UNAVAILABLE} when no broker answers within {@link #TIMEOUT}
     */
    static Cluster connect(String bootstrap, Topics topics) {
        Properties p = common(bootstrap);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        Admin admin;
        try {
            admin = Admin.create(p);
        } catch (RuntimeException e) { // a host that does not resolve
            throw unavailable(bootstrap, e);
        }
        Cluster cluster = new Cluster(bootstrap, topics, admin);
        try {
            admin.describeCluster().clusterId().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            cluster.close();
            throw unavailable(bootstrap, e);
        }
        return cluster;
    }

    /** The refusal for a cluster that did not answer or failed: one line, with the reason. */
    static Refused unavailable(String bootstrap, Throwable e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        String reason = cause instanceof TimeoutException || cause instanceof org.apache.kafka.common.errors.TimeoutException
                ? "no broker answered within " + TIMEOUT.toSeconds() + " s" : String.valueOf(cause.getMessage());
        return new Refused("cannot reach Kafka at " + bootstrap + ": " + reason, ExitCode.CLUSTER_UNAVAILABLE);
    }

    /** The client settings every client of the cluster shares. */
    static Properties common(String bootstrap) {
        Properties p = new Properties();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(CommonClientConfigs.CLIENT_DNS_LOOKUP_CONFIG, "use_all_dns_ips");
        p.put(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        return p;
    }

    /**
     * A consumer in no group that reads the committed records of the partitions it is assigned: for reading a topic
     * back, as a worker taking partitions over and {@code results} do.
     */
    static KafkaConsumer<String, byte[]> reader(String bootstrap) {
        Properties c = common(bootstrap);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, MAX_RECORD + 1024);
        c.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis() * 3);
        return new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** Every partition of {@code topic}. */
    static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        List<TopicPartition> out = new ArrayList<>();
        for (PartitionInfo p : consumer.partitionsFor(topic)) {
            out.add(new TopicPartition(topic, p.partition()));
        }
        return out;
    }

    /**
     * Assigns {@code partitions} to {@code reader}, reads them from their start to their ends as they are now, and
     * hands each record to {@code each}.
     */
    static void readToEnd(KafkaConsumer<String, byte[]> reader, List<TopicPartition> partitions,
                          Consumer<ConsumerRecord<String, byte[]>> each) {
        reader.assign(partitions);
        reader.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = reader.endOffsets(partitions);
        while (!caughtUp(reader, end)) {
            reader.poll(Duration.ofMillis(200)).forEach(each);
        }
    }

    /** Whether {@code consumer} has read its partitions up to these offsets. */
    static boolean caughtUp(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    String bootstrap() {
        return bootstrap;
    }

    Topics topics() {
        return topics;
    }

    /**
     * Makes sure the three topics exist, creating the missing ones with {@code partitions} partitions, and returns
     * how many partitions the sites topic has.
     *
     * @param partitions for topics created here; {@code null} for {@link #DEFAULT_PARTITIONS}, or the sites topic's
     *     count when it exists
     * @throws Refused when the cluster does not answer, forbids creating a topic, or holds sites and results topics
     *     of different partition counts
     */
    int ensureTopics(Integer partitions) {
        try {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            int count = partitions != null ? partitions : DEFAULT_PARTITIONS;
            if (existing.contains(topics.sites())) {
                count = describe(topics.sites()).partitions().size();
            } else if (existing.contains(topics.results())) {
                count = describe(topics.results()).partitions().size();
            }
            List<NewTopic> missing = new ArrayList<>();
            Map<String, String> config = new HashMap<>();
            config.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(MAX_RECORD + 1024));
            for (String name : List.of(topics.sites(), topics.results(), topics.errors())) {
                if (!existing.contains(name)) {
                    missing.add(new NewTopic(name, Optional.of(name.equals(topics.errors()) ? 1 : count),
                            Optional.empty()).configs(config));
                }
            }
            if (!missing.isEmpty()) {
                var created = admin.createTopics(missing).values();
                for (var entry : created.entrySet()) {
                    try {
                        entry.getValue().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof TopicExistsException)) { // another client made it meanwhile
                            throw new Refused("cannot create the topic " + entry.getKey() + " on " + bootstrap + ": "
                                    + e.getCause().getMessage() + " (create it with " + count + " partitions, or use "
                                    + "--topics to name topics that exist)", ExitCode.CLUSTER_UNAVAILABLE);
                        }
                    }
                }
            }
            int results = describe(topics.results()).partitions().size();
            int sites = describe(topics.sites()).partitions().size();
            if (results != sites) {
                throw new Refused("the topics " + topics.sites() + " and " + topics.results() + " must have as many "
                        + "partitions; they have " + sites + " and " + results, ExitCode.CLUSTER_UNAVAILABLE);
            }
            return sites;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Refused("interrupted", ExitCode.INTERRUPTED);
        } catch (ExecutionException | TimeoutException e) {
            throw unavailable(bootstrap, e);
        }
    }

    private TopicDescription describe(String topic) throws InterruptedException, ExecutionException, TimeoutException {
        return admin.describeTopics(List.of(topic)).allTopicNames().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .get(topic);
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(1));
    }
}
