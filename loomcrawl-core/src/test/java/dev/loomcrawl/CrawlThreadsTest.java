package dev.loomcrawl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The check that no crawl thread outlives a crawl sees live threads of both kinds, and forgets ended ones. */
class CrawlThreadsTest {

    @Test
    void seesLiveVirtualAndPlatformThreadsByNameAndNotEndedOnes() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Runnable park = () -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        Thread virtual = Thread.ofVirtual().name("loomcrawl-probe-virtual").start(park);
        Thread platform = Thread.ofPlatform().name("loomcrawl-probe-platform").start(park);
        Thread other = Thread.ofVirtual().name("someone-else").start(park);
        assertThat(CrawlThreads.alive()).contains("loomcrawl-probe-virtual", "loomcrawl-probe-platform")
                .doesNotContain("someone-else");
        release.countDown();
        virtual.join();
        platform.join();
        other.join();
        assertThat(CrawlThreads.alive()).doesNotContain("loomcrawl-probe-virtual", "loomcrawl-probe-platform");
    }
}
