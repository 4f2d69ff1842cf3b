package dev.loomcrawl.cli;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.IntPredicate;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A worker's transactional producer: what the worker publishes goes into one open transaction, which
 * {@link #commit} commits with the worker's offsets and group metadata. Used by the worker's client thread only.
 *
 * <p>Nothing handed over is lost while its partition is the worker's: a record stays in {@code pending} until the
 * transaction holding it commits. A transaction that fails is aborted and its records are sent again in the next
 * one, in their order, those of partitions the worker no longer owns left out (their next owner starts from what
 * was committed). A commit that timed out or was interrupted is resumed by the next call, never aborted, and
 * records handed over meanwhile wait for the next transaction. A producer that cannot go on is replaced by one
 * with the same {@code transactional.id}, which fences the old one: its open transaction is aborted by the broker
 * and can never commit.
 */
final class Publisher implements AutoCloseable {

    /**
     * A record to publish.
     *
     * @param partition its partition, or -1 for the errors topic (any partition)
     * @param seq for a piece of output, its place among its attempt's pieces; -1 otherwise
     */
    record Send(String topic, int partition, String key, String type, String attempt, int seq, byte[] value) {}

    private final String bootstrap;
    private final String transactionalId;
    private final String clientId;
    private final IntPredicate owned;
    private KafkaProducer<String, byte[]> producer;
    private List<Send> pending = new ArrayList<>();
    private List<Send> unsent = new ArrayList<>();
    /** The open transaction's offsets were sent and its commit began: the next commit resumes it. */
    private boolean committing;
    /** A send into the open transaction failed: it is aborted at the next commit. */
    private boolean failed;
    private Map<TopicPartition, OffsetAndMetadata> lastOffsets = Map.of();

    /**
     * @param owned whether the worker owns a partition of the sites topic (and so the results partition of its
     *     number)
     * @throws KafkaException when the cluster does not answer
     */
    Publisher(String bootstrap, Cluster.Topics topics, String clientId, IntPredicate owned) {
        this.bootstrap = bootstrap;
        this.transactionalId = topics.prefix() + ".worker." + UUID.randomUUID();
        this.clientId = clientId;
        this.owned = owned;
        this.producer = create();
    }

    private KafkaProducer<String, byte[]> create() {
        Properties p = Cluster.common(bootstrap);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, ClusterWorker.TRANSACTION_MILLIS);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Cluster.MAX_RECORD + 64 * 1024);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) Cluster.TIMEOUT.toMillis() * 3);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        KafkaProducer<String, byte[]> made = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        try {
            made.initTransactions();
            made.beginTransaction();
        } catch (RuntimeException e) {
            made.close(Duration.ZERO);
            throw e;
        }
        return made;
    }

    /** Puts a record in the open transaction; one of a partition the worker does not own is dropped. */
    void send(Send s) {
        if (s.partition() >= 0 && !owned.test(s.partition())) {
            return;
        }
        if (producer == null || committing || failed) {
            unsent.add(s);
            return;
        }
        pending.add(s);
        RecordHeaders headers = new RecordHeaders();
        headers.add("type", s.type().getBytes(StandardCharsets.UTF_8));
        headers.add("attempt", s.attempt().getBytes(StandardCharsets.UTF_8));
        if (s.seq() >= 0) {
            headers.add("seq", Integer.toString(s.seq()).getBytes(StandardCharsets.UTF_8));
        }
        try {
            producer.send(new ProducerRecord<>(s.topic(), s.partition() < 0 ? null : s.partition(), s.key(), s.value(),
                    headers));
        } catch (InterruptException e) {
            failed = true;
            throw e;
        } catch (KafkaException | IllegalStateException e) {
            failed = true;
        }
    }

    /**
     * Commits the open transaction with {@code offsets} and begins the next; skipped when there is nothing new.
     *
     * @return whether everything handed over before is committed
     * @throws InterruptException when interrupted: the next call resumes the commit
     * @throws KafkaException when no producer can be made (the cluster is away): the next call tries again
     */
    boolean commit(Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group) {
        if (producer == null) {
            replace();
            return false;
        }
        if (failed) {
            abort();
            return false;
        }
        if (!committing && pending.isEmpty() && unsent.isEmpty() && offsets.equals(lastOffsets)) {
            return true;
        }
        try {
            if (!committing) {
                if (!offsets.isEmpty()) {
                    producer.sendOffsetsToTransaction(offsets, group); // refused for a stale generation: fenced
                }
                committing = true;
            }
            producer.commitTransaction();
        } catch (InterruptException e) {
            throw e;
        } catch (TimeoutException e) {
            return false; // the commit may have gone through: resumed, never aborted
        } catch (KafkaException | IllegalStateException e) {
            abort();
            return false;
        }
        committing = false;
        lastOffsets = Map.copyOf(offsets);
        pending.clear();
        try {
            producer.beginTransaction();
        } catch (KafkaException | IllegalStateException e) {
            replace();
            return true;
        }
        sendUnsent();
        return true;
    }

    /** Aborts the open transaction; its records of partitions still owned are sent again, in order. */
    void abort() {
        takeBack();
        if (producer == null) {
            replace();
            return;
        }
        try {
            producer.abortTransaction();
            producer.beginTransaction();
        } catch (InterruptException e) {
            failed = true; // the handover aborts again
            throw e;
        } catch (KafkaException | IllegalStateException e) {
            replace();
            return;
        }
        sendUnsent();
    }

    /** Replaces the producer with one of the same transactional id, which fences it, and sends what was pending. */
    private void replace() {
        takeBack();
        if (producer != null) {
            producer.close(Duration.ZERO);
            producer = null;
        }
        producer = create();
        sendUnsent();
    }

    /** Ends the open transaction's state: what it held, then what waited, is to be sent again, in that order. */
    private void takeBack() {
        committing = false;
        failed = false;
        pending.addAll(unsent);
        unsent = pending;
        pending = new ArrayList<>();
    }

    private void sendUnsent() {
        List<Send> again = unsent;
        unsent = new ArrayList<>();
        for (int i = 0; i < again.size(); i++) {
            try {
                send(again.get(i));
            } catch (InterruptException e) {
                unsent.addAll(again.subList(i + 1, again.size()));
                throw e;
            }
        }
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
