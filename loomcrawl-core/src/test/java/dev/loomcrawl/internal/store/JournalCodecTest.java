package dev.loomcrawl.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcrawl.crawl.ContentFormat;
import dev.loomcrawl.crawl.PageContent;
import dev.loomcrawl.crawl.PageResult;
import dev.loomcrawl.internal.links.LinkOccurrence;
import dev.loomcrawl.internal.links.PageOccurrences;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class JournalCodecTest {

    private static final PageResult PAGE = new PageResult("http://h/a", -1, null, 200, "text/html; charset=utf-8", 1234,
            56, null, null, List.of("http://h/b", "http://h/c?x=ü", "http://other/d"), true, 2, true, false,
            List.of("http://other/d"), null, null,
            new PageContent(ContentFormat.MARKDOWN, "Title", null, "en", "http://h/a", null, "2026-12-03", "Site",
                    "# Title\n\nBody ü.", 3, null, Instant.ofEpochMilli(1_764_720_000_123L)));

    @Test
    void aPageComesBackAsItWasRecorded() {
        List<String> texts = List.of("B", "", "D");
        List<String> followed = List.of("http://h/b", "http://h/c?x=ü");
        JournalCodec.Entry e = JournalCodec.decode(JournalCodec.page(PAGE, texts, followed));
        assertThat(e.page()).isEqualTo(PAGE);
        assertThat(e.texts()).isEqualTo(texts);
        assertThat(e.followed()).isEqualTo(followed);
        assertThat(e.occurrences()).isNull();
    }

    @Test
    void aFailedFetchComesBackWithItsNulls() {
        PageResult failed = new PageResult("http://h/x", -1, null, 0, null, 0, 10_000, null, "connect timeout",
                List.of(), false, 3, false, false, List.of(), null, null);
        assertThat(JournalCodec.decode(JournalCodec.page(failed, List.of(), List.of())).page()).isEqualTo(failed);
    }

    @Test
    void occurrencesComeBackInOrder() {
        PageOccurrences o = new PageOccurrences(List.of(
                new LinkOccurrence("b", "http://h/b", null, "B", 3, "a[href]", false),
                new LinkOccurrence("::", null, null, "", 9, "img[src]", true),
                new LinkOccurrence("#top", "http://h/a", "top", "up", 12, "a[href]", false)),
                new LinkedHashSet<>(List.of("top", "end")));
        JournalCodec.Entry e = JournalCodec.decode(JournalCodec.occurrences("http://h/a", o));
        assertThat(e.page()).isNull();
        assertThat(e.pageUrl()).isEqualTo("http://h/a");
        assertThat(e.occurrences().links()).isEqualTo(o.links());
        assertThat(e.occurrences().anchors()).containsExactlyInAnyOrder("top", "end");
    }

    @Test
    void anEntryCutShortOrOfAnotherVersionIsRefusedWithAReason() {
        byte[] whole = JournalCodec.page(PAGE, List.of(), PAGE.links());
        for (int cut : new int[] {0, 1, 2, 7, whole.length / 2, whole.length - 1}) {
            assertThatThrownBy(() -> JournalCodec.decode(Arrays.copyOf(whole, cut)))
                    .as("cut at %d", cut).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("journal entry");
        }
        byte[] other = whole.clone();
        other[0] = 9;
        assertThatThrownBy(() -> JournalCodec.decode(other)).hasMessage("a journal entry of an unknown version 9");
        byte[] kind = whole.clone();
        kind[1] = 7;
        assertThatThrownBy(() -> JournalCodec.decode(kind)).hasMessage("a journal entry of an unknown kind 7");
    }
}
