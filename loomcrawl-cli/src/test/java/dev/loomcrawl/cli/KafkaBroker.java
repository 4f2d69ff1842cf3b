package dev.loomcrawl.cli;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real Kafka broker for a test, started and stopped by {@code scripts/kafka-local.sh} in a directory of the
 * test's, on a free port of 127.0.0.1 (its controller on the next one).
 */
final class KafkaBroker implements AutoCloseable {

    private static final Path SCRIPT = Path.of("").toAbsolutePath().getParent().resolve("scripts/kafka-local.sh");

    private final int port;
    private final Path dir;

    private KafkaBroker(int port, Path dir) {
        this.port = port;
        this.dir = dir;
    }

    static KafkaBroker start(Path dir) throws IOException, InterruptedException {
        for (int tries = 0; ; tries++) {
            int port = freePair();
            Process p = script(dir, "start", port).start();
            boolean ended = p.waitFor(120, TimeUnit.SECONDS);
            if (ended && p.exitValue() == 0) {
                return new KafkaBroker(port, dir);
            }
            String log = Files.exists(dir.resolve("script.log")) ? Files.readString(dir.resolve("script.log")) : "";
            script(dir, "stop", port).start().waitFor(60, TimeUnit.SECONDS);
            if (tries == 2) {
                throw new IllegalStateException("the Kafka broker did not start: " + log);
            }
        }
    }

    private static ProcessBuilder script(Path dir, String command, int port) {
        ProcessBuilder b = new ProcessBuilder(SCRIPT.toString(), command, Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(dir.resolve("script.log").toFile());
        b.environment().put("LOOMCRAWL_KAFKA_DIR", dir.toString());
        return b;
    }

    /** A free port whose next port is free too, as far as a probe can tell. */
    private static int freePair() throws IOException {
        while (true) {
            try (ServerSocket a = new ServerSocket(0)) {
                int port = a.getLocalPort();
                if (port >= 65535) {
                    continue;
                }
                try (ServerSocket b = new ServerSocket(port + 1)) {
                    return port;
                } catch (IOException taken) {
                    // try another
                }
            }
        }
    }

    String bootstrap() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() throws Exception {
        script(dir, "stop", port).start().waitFor(60, TimeUnit.SECONDS);
    }
}
