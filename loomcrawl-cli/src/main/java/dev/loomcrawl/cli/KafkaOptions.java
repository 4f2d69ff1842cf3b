package dev.loomcrawl.cli;

import picocli.CommandLine.Option;

/** The options that name a cluster and its topics, the same on {@code worker}, {@code submit} and {@code results}. */
final class KafkaOptions {

    @Option(names = "--kafka", paramLabel = "HOST:PORT", required = true,
            description = "The cluster's bootstrap servers, comma-separated.")
    String bootstrap;

    @Option(names = "--topics", paramLabel = "PREFIX", description = "The topics' prefix: PREFIX.sites, "
            + "PREFIX.results, PREFIX.errors (default: ${DEFAULT-VALUE}).")
    String topics = Cluster.DEFAULT_PREFIX;

    @Option(names = "--partitions", paramLabel = "N", description = "Partitions of the sites and results topics when "
            + "they are created here, 1..10000 (default: " + Cluster.DEFAULT_PARTITIONS + "): the most workers that "
            + "share the work.")
    Integer partitions;

    /**
     * The topics these options name.
     *
     * @throws IllegalArgumentException naming the option when {@code --topics} or {@code --partitions} is invalid
     */
    Cluster.Topics names() {
        for (String server : bootstrap.split(",", -1)) {
            int colon = server.lastIndexOf(':');
            if (colon <= 0 || !server.substring(colon + 1).matches("[0-9]{1,5}")) {
                throw new IllegalArgumentException("--kafka must be HOST:PORT, comma-separated; was '" + bootstrap + "'");
            }
        }
        if (partitions != null && (partitions < 1 || partitions > 10_000)) {
            throw new IllegalArgumentException("--partitions must be 1..10000; was " + partitions);
        }
        return new Cluster.Topics(topics);
    }

    /** Connects to the cluster and makes sure its topics exist (see {@link Cluster#ensureTopics}). */
    void ensureTopics(Cluster.Topics names) {
        try (Cluster cluster = Cluster.connect(bootstrap, names)) {
            cluster.ensureTopics(partitions);
        }
    }
}
