package dev.loomcrawl.internal.links;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** A fragment is found as the HTML standard finds its indicated part. */
class AnchorsTest {

    private static final Set<String> ANCHORS = Set.of("caf\u00e9", "a.b", "a b", "50%", "Intro");

    @Test
    void aFragmentMatchesAsWrittenThenDecoded() {
        assertThat(Anchors.indicates("caf\u00e9", ANCHORS)).isTrue();
        assertThat(Anchors.indicates("caf%C3%A9", ANCHORS)).isTrue();
        assertThat(Anchors.indicates("caf%c3%a9", ANCHORS)).isTrue();
        assertThat(Anchors.indicates("a%2Eb", ANCHORS)).isTrue();
        assertThat(Anchors.indicates("a%20b", ANCHORS)).isTrue();
        assertThat(Anchors.indicates("50%", ANCHORS)).as("a stray percent sign as written").isTrue();
        assertThat(Anchors.indicates("50%25", ANCHORS)).isTrue();
    }

    @Test
    void theTopOfThePageNeedsNoElement() {
        assertThat(Anchors.indicates(null, Set.of())).isTrue();
        assertThat(Anchors.indicates("", Set.of())).isTrue();
        assertThat(Anchors.indicates("top", Set.of())).isTrue();
        assertThat(Anchors.indicates("TOP", Set.of())).isTrue();
        assertThat(Anchors.indicates("%74op", Set.of())).isTrue();
        assertThat(Anchors.indicates(":~:text=some%20words", Set.of())).as("a text fragment alone").isTrue();
        assertThat(Anchors.indicates("Intro:~:text=words", ANCHORS)).isTrue();
        assertThat(Anchors.indicates("missing:~:text=words", ANCHORS)).isFalse();
    }

    @Test
    void anythingElseIsMissing() {
        assertThat(Anchors.indicates("intro", ANCHORS)).as("ids are case-sensitive").isFalse();
        assertThat(Anchors.indicates("cafe", ANCHORS)).isFalse();
        assertThat(Anchors.indicates("caf%C3", ANCHORS)).as("a broken UTF-8 sequence").isFalse();
        assertThat(Anchors.indicates("a%zzb", ANCHORS)).isFalse();
        assertThat(Anchors.indicates("topmost", ANCHORS)).isFalse();
    }
}
