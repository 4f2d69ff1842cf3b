package dev.loomcrawl.internal.url;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class UrlSpaceTest {

    @Test
    void urlsLongerThanTheLimitAreRefused() {
        UrlSpace space = new UrlSpace(40, Integer.MAX_VALUE);
        assertThat(space.refusal("http://a.test/" + "x".repeat(26))).isNull();
        assertThat(space.refusal("http://a.test/" + "x".repeat(27))).isEqualTo("url too long");
    }

    @Test
    void pathsThatRepeatASegmentOverAndOverAreRefused() {
        UrlSpace space = new UrlSpace(2048, Integer.MAX_VALUE);
        assertThat(space.refusal("http://a.test/a/b/a/b/a/b/c")).isNull();
        assertThat(space.refusal("http://a.test/a/b/a/b/a/b/a/b")).isEqualTo("repeating path");
    }

    @Test
    void aCalendarIsCappedPerPatternWhateverTheDates() {
        UrlSpace space = new UrlSpace(2048, 3);
        assertThat(space.refusal("http://a.test/cal/2026/11")).isNull();
        assertThat(space.refusal("http://a.test/cal/2026/12")).isNull();
        assertThat(space.refusal("http://a.test/cal/1999/1")).isNull();
        assertThat(space.refusal("http://a.test/cal/3000/5")).isEqualTo("pattern cap /cal/#/#");
        assertThat(space.refusal("http://a.test/cal/2026/11?view=day")).as("another pattern").isNull();
    }

    @Test
    void queryValuesAndParameterOrderDoNotMakeNewPatterns() {
        UrlSpace space = new UrlSpace(2048, 2);
        assertThat(space.refusal("http://a.test/search?q=a&page=1")).isNull();
        assertThat(space.refusal("http://a.test/search?page=2&q=b")).isNull();
        assertThat(space.refusal("http://a.test/search?q=c&page=3")).isEqualTo("pattern cap /search?page&q");
    }

    @Test
    void everyRunOfDigitsInASegmentIsOneMark() {
        UrlSpace space = new UrlSpace(2048, 1);
        assertThat(space.refusal("http://a.test/s2/t15/p3378.html")).isNull();
        assertThat(space.refusal("http://a.test/s7/t0/p1.html")).isEqualTo("pattern cap /s#/t#/p#.html");
        assertThat(space.refusal("http://a.test/log/2026-12-03.txt")).isNull();
        assertThat(space.refusal("http://a.test/log/1999-1-2.txt")).isEqualTo("pattern cap /log/#-#-#.txt");
    }

    @Test
    void sessionIdSegmentsAreOnePattern() {
        UrlSpace space = new UrlSpace(2048, 2);
        assertThat(space.refusal("http://a.test/s/a8f3k2j9x1/page.html")).isNull();
        assertThat(space.refusal("http://a.test/s/zz93kd82hq/page.html")).isNull();
        assertThat(space.refusal("http://a.test/s/q0w9e8r7t6/page.html")).isEqualTo("pattern cap /s/*/page.html");
        assertThat(space.refusal("http://a.test/about/team.html")).isNull();
    }

    @Test
    void limitsOutOfRangeNameTheSetting() {
        assertThatThrownBy(() -> new UrlSpace(10, 5)).hasMessage("maxUrlLength must be 16 or more, was 10");
        assertThatThrownBy(() -> new UrlSpace(100, 0)).hasMessage("maxPerPattern must be 1 or more, was 0");
    }
}
