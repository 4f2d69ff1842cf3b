package dev.loomcrawl.internal.tally;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcrawl.crawl.CrawlSummary;
import dev.loomcrawl.crawl.StopReason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TallyTest {

    @Test
    void countsPagesByStatusErrorsApartAndEveryPatternCapAsOne() {
        Tally live = new Tally();
        live.pages(200, 1, 100);
        live.pages(0, 1, 0);
        live.pages(200, 1, 50);
        live.pages(404, 1, 10);
        live.excluded("robots", 1);
        live.excluded("pattern cap: /p/{n}", 1);
        live.excluded("pattern cap: /q/{hash}", 1);

        Tally stored = new Tally(); // the same crawl, from a store's aggregates
        stored.pages(0, 1, 0);
        stored.pages(200, 2, 150);
        stored.pages(404, 1, 10);
        stored.excluded("pattern cap: /q/{hash}", 1);
        stored.excluded("robots", 1);
        stored.excluded("pattern cap: /p/{n}", 1);

        CrawlSummary summary = live.summary("http://localhost/", null, 4, Duration.ofSeconds(1), StopReason.COMPLETED,
                List.of(), 0, null, Instant.EPOCH);
        assertThat(summary.pages()).isEqualTo(4);
        assertThat(summary.errors()).isEqualTo(1);
        assertThat(summary.bytes()).isEqualTo(160);
        assertThat(summary.statuses()).isEqualTo(Map.of(200, 2L, 404, 1L));
        assertThat(summary.excluded()).isEqualTo(Map.of("robots", 1L, Tally.PATTERN_CAP, 2L));
        assertThat(stored.summary("http://localhost/", null, 4, Duration.ofSeconds(1), StopReason.COMPLETED,
                List.of(), 0, null, Instant.EPOCH)).isEqualTo(summary);
    }
}
