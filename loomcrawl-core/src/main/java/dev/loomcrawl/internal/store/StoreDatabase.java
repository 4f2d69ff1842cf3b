package dev.loomcrawl.internal.store;

import java.util.Objects;
import dev.loomcrawl.crawl.Ticker;
import dev.loomcrawl.crawl.StoreException;
import dev.loomcrawl.internal.engine.Join;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The SQLite database of a state directory: the directory's lock, the schema and its checks, the one writer
 * thread with its back-pressure, a small pool of read connections, and the translation of SQLite's errors into
 * {@link StoreException} (what the user must act on) and {@link UncheckedIOException} (a failed read or write).
 * Thread-safe.
 */
public final class StoreDatabase implements AutoCloseable {

    /** The database's file name in the state directory. */
    public static final String FILE = "crawl.db";
    /** The version of the stores this loomcrawl makes; it reads those of earlier versions too. */
    public static final int VERSION = Schema.VERSION;
    private static final String LOCK = "lock";
    private static final int READERS = 4;
    /** The most fetched pages that wait for their commit at once. */
    public static final int MAX_AWAITING_COMMIT = 256;

    private final Path dir;
    private final Semaphore awaitingCommit = new Semaphore(MAX_AWAITING_COMMIT);
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final CommitGate gate;
    private final Ticker ticker;
    // replaced only by replace(), which runs before a crawl, on the thread that owns the store
    private Connection writeConnection;
    private StoreWriter writer;
    private Thread writerThread;
    private final ArrayBlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
    private final ConcurrentLinkedQueue<Connection> allReaders = new ConcurrentLinkedQueue<>();
    private final AtomicInteger readersOpened = new AtomicInteger();
    private final boolean hadPages;
    /** The store's version ({@link Schema#VERSION} for one made by this loomcrawl); set before a crawl begins. */
    private volatile int version;

    private StoreDatabase(Path dir, FileChannel lockChannel, FileLock lock, Connection writeConnection, long nextPageId,
                          int version, CommitGate gate, Ticker ticker) {
        this.dir = dir;
        this.version = version;
        this.ticker = ticker;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.hadPages = nextPageId > 1;
        this.gate = gate;
        startWriter(writeConnection, nextPageId);
    }

    /** The clock that dates what the store records and paces its group commits. */
    public Ticker ticker() {
        return ticker;
    }

    /** The version of the store's tables: what they keep, and how ({@link Schema#VERSION}). */
    public int version() {
        return version;
    }

    /** Whether the database held fetched pages when it was opened. */
    public boolean hadPages() {
        return hadPages;
    }

    /** Hands an operation to the writer; operations run in the order they are handed over. */
    void submit(StoreWriter.Op op) {
        writer.submit(op);
    }

    /**
     * Waits for room among the pages awaiting their commit ({@value #MAX_AWAITING_COMMIT} at most).
     *
     * @return gives the room back once the page is committed
     */
    Runnable awaitRoomForCommit() throws InterruptedException {
        awaitingCommit.acquire();
        return awaitingCommit::release;
    }

    /**
     * Opens the store in {@code dir}, creating the directory and an empty store when there is none.
     *
     * @throws StoreException when {@code dir} is not a directory, holds files but no store, holds a damaged or
     *     foreign database, is in use by another process, or cannot be written
     */
    public static StoreDatabase open(Path dir, Ticker ticker) {
        return open(dir, CommitGate.OPEN, ticker);
    }

    /** As {@link #open(Path, Ticker)}, each commit passing {@code gate} first. */
    public static StoreDatabase open(Path dir, CommitGate gate, Ticker ticker) {
        Objects.requireNonNull(ticker, "ticker");
        Path db = dir.resolve(FILE);
        boolean exists = Files.exists(db);
        try {
            if (Files.exists(dir) && !Files.isDirectory(dir)) {
                throw new StoreException("state directory " + dir + " is a file, not a directory");
            }
            if (!exists && Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.list(dir)) {
                    if (files.anyMatch(f -> !f.getFileName().toString().equals(LOCK))) {
                        throw new StoreException("state directory " + dir + " holds files but no loomcrawl crawl ("
                                + FILE + "); choose a new or empty directory");
                    }
                }
            }
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StoreException("cannot create state directory " + dir + ": " + reason(e), e);
        }
        FileChannel channel = null;
        Connection c = null;
        try {
            channel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException sameProcess) {
                lock = null;
            }
            if (lock == null) {
                throw new StoreException("state directory " + dir + " is in use by another loomcrawl process");
            }
            c = connect(db);
            int version = Schema.VERSION;
            if (exists && !Schema.isEmpty(c)) {
                version = verify(c, db);
            } else {
                Schema.create(c);
            }
            Schema.addMissing(c);
            long nextId;
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT coalesce(max(id), 0) + 1 FROM pages")) {
                nextId = r.getLong(1);
            }
            return new StoreDatabase(dir, channel, lock, c, nextId, version, gate, ticker);
        } catch (IOException | SQLException | RuntimeException e) {
            closeQuietly(c);
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // the open's failure is the one to report
                }
            }
            if (e instanceof StoreException se) {
                throw se;
            }
            if (e instanceof SQLException sql && exists) {
                throw new StoreException(db + " is damaged or not a loomcrawl crawl: " + firstLine(sql.getMessage())
                        + "; move it away or choose another state directory", e);
            }
            throw new StoreException("cannot open state directory " + dir + ": " + firstLine(e.getMessage()), e);
        }
    }

    private static Connection connect(Path db) throws SQLException {
        NativeLibrary.prepare();
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath());
        Schema.configure(c);
        return c;
    }

    /**
     * Refuses a database that is not ours, is newer than this version, or lacks tables. Whether its pages are intact
     * is asked only when they are to be used again ({@link #checkIntact}).
     *
     * @return its version
     */
    private static int verify(Connection c, Path db) throws SQLException {
        try (Statement s = c.createStatement()) {
            int app;
            int version;
            try (ResultSet r = s.executeQuery("PRAGMA application_id")) {
                app = r.getInt(1);
            }
            try (ResultSet r = s.executeQuery("PRAGMA user_version")) {
                version = r.getInt(1);
            }
            if (app != Schema.APPLICATION_ID) {
                throw new StoreException(db + " is an SQLite database of another program, not a loomcrawl crawl; "
                        + "choose another state directory");
            }
            if (version > Schema.VERSION) {
                throw new StoreException(db + " was written by a newer loomcrawl (store version " + version
                        + ", this one reads " + Schema.VERSION + "); use that loomcrawl, or move it away or choose "
                        + "another state directory");
            }
            Set<String> tables = new HashSet<>();
            try (ResultSet r = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
                while (r.next()) {
                    tables.add(r.getString(1));
                }
            }
            if (!tables.containsAll(Schema.TABLES)) {
                throw new StoreException(db + " is damaged (tables are missing); move it away or choose another "
                        + "state directory");
            }
            return version;
        }
    }

    private void startWriter(Connection connection, long nextPageId) {
        this.writeConnection = connection;
        this.writer = new StoreWriter(connection, nextPageId, gate, ticker,
                () -> awaitingCommit.availablePermits() == 0);
        this.writerThread = Thread.ofPlatform().name("loomcrawl-store").daemon().start(writer);
    }

    /** Ends the writer after what it was handed, and closes every connection. */
    private void closeConnections() {
        writer.submit(new StoreWriter.Barrier(new CountDownLatch(1), true));
        Join.uninterruptibly(writerThread);
        Connection c;
        while ((c = allReaders.poll()) != null) {
            closeQuietly(c);
        }
        readers.clear();
        readersOpened.set(0);
        closeQuietly(writeConnection);
    }

    /**
     * Refuses a damaged database before what it holds is used again (a resume, a report). SQLite's {@code
     * quick_check} reads every page of the file, so it is not asked when a finished crawl is only replaced.
     *
     * @throws StoreException when the database is damaged
     */
    public void checkIntact() {
        String result = read(c -> {
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("PRAGMA quick_check")) {
                return r.getString(1);
            } catch (SQLException e) {
                return e.getMessage();
            }
        });
        if (!"ok".equals(result)) {
            throw damaged(result);
        }
    }

    /** The error for a damaged database, saying why and what to do. */
    public StoreException damaged(String why) {
        return new StoreException(dir.resolve(FILE) + " is damaged (" + firstLine(why) + "); move it away or choose "
                + "another state directory");
    }

    /** Swaps the database for an empty one, under the same lock. */
    public void replace() {
        closeConnections();
        checkWriter();
        Path db = dir.resolve(FILE);
        try {
            for (String suffix : List.of("", "-wal", "-shm")) {
                Files.deleteIfExists(dir.resolve(FILE + suffix));
            }
            Connection c = connect(db);
            Schema.create(c);
            Schema.addMissing(c);
            version = Schema.VERSION;
            startWriter(c, 1);
        } catch (IOException | SQLException e) {
            throw new StoreException("cannot start a new crawl in " + dir + ": " + firstLine(e.getMessage()), e);
        }
    }

    /** Writes everything handed over so far and closes the database; a write failure is reported here too. */
    @Override
    public void close() {
        closeConnections();
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException ignored) {
            // the lock goes with the process anyway
        }
        checkWriter();
    }

    /** Hands a statement to the writer, to run in its next transaction. */
    public void sql(String sql, Object... args) {
        writer.submit(new StoreWriter.Sql(sql, Arrays.asList(args)));
    }

    /** Waits until everything handed to the store so far is committed, and so readable. Any thread. */
    public void sync() {
        CountDownLatch done = new CountDownLatch(1);
        writer.submit(new StoreWriter.Barrier(done, false));
        boolean interrupted = false;
        while (true) {
            try {
                done.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the state must be written; the interrupt is kept for the caller
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        checkWriter();
    }

    /** Throws the writer's failure, if it has failed. */
    public void checkWriter() {
        SQLException e = writer.failure();
        if (e != null) {
            throw failure("write", e);
        }
    }

    UncheckedIOException failure(String what, SQLException e) {
        return new UncheckedIOException("cannot " + what + " crawl state in " + dir + ": " + firstLine(e.getMessage()),
                new IOException(e));
    }

    /** A read on one of the pool's connections. */
    @FunctionalInterface
    public interface Query<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code query} on a read connection of the pool; a failure is an {@link UncheckedIOException}. */
    public <T> T read(Query<T> query) {
        Connection c;
        try {
            c = reader();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a store connection", e);
        }
        try {
            return query.run(c);
        } catch (SQLException e) {
            throw failure("read", e);
        } finally {
            readers.add(c);
        }
    }

    /** Gives back a connection {@link #reader} gave. */
    void giveBack(Connection c) {
        readers.add(c);
    }

    /** A read connection of the pool, opened when none is free and fewer than {@value #READERS} exist. */
    Connection reader() throws InterruptedException {
        Connection c = readers.poll();
        if (c != null) {
            return c;
        }
        if (readersOpened.getAndIncrement() < READERS) {
            try {
                c = connect(dir.resolve(FILE));
            } catch (SQLException e) {
                readersOpened.decrementAndGet();
                throw failure("read", e);
            }
            allReaders.add(c);
            return c;
        }
        readersOpened.decrementAndGet();
        return readers.take();
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing: nothing left to save
            }
        }
    }

    /** What went wrong with a file, in a few words. */
    private static String reason(IOException e) {
        return switch (e) {
            case java.nio.file.AccessDeniedException denied -> "permission denied";
            case java.nio.file.FileSystemException fs when fs.getReason() != null -> fs.getReason();
            default -> firstLine(e.getMessage());
        };
    }

    static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
