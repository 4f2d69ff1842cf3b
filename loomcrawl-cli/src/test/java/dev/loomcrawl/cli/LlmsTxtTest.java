package dev.loomcrawl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How the llms.txt index names the site and describes a page that does not describe itself. */
class LlmsTxtTest {

    @Test
    void theSitesNameIsTheEndingMostTitlesShare() {
        assertThat(LlmsTxt.sharedSuffix(List.of("Glossary — Python 3.11 documentation", "3.11 Documentation",
                "Download — Python 3.11 documentation", "Built-in Functions — Python 3.11 documentation")))
                .isEqualTo(" — Python 3.11 documentation");
        assertThat(LlmsTxt.sharedSuffix(List.of("Pricing | Acme", "Blog | Acme", "Acme"))).isEqualTo(" | Acme");
        assertThat(LlmsTxt.sharedSuffix(List.of("Pricing | Acme", "Blog - Other", "About", "Team"))).isNull();
        assertThat(LlmsTxt.sharedSuffix(List.of("One page | Acme"))).isNull();
    }

    @Test
    void titlesAndDescriptionsStayText() {
        assertThat(LlmsTxt.escape("The [draft] of *C* <div> code_name `x` \\ end"))
                .isEqualTo("The \\[draft\\] of \\*C\\* \\<div\\> code\\_name \\`x\\` \\\\ end");
    }

    @Test
    void aPagesFirstParagraphIsItsFirstBlockOfProse() {
        String markdown = """
                ## Installing

                - [Tutorial](https://example.org/t)

                ```sh
                make install
                ```

                [Tutorial](https://example.org/t)

                Copyright © 1996–2026 The Group, all rights reserved

                The package installs with **one** [command](https://example.org/c), on any system. It needs \\
                nothing else.
                """;
        assertThat(LlmsTxt.firstParagraph(markdown))
                .isEqualTo("The package installs with one command, on any system. It needs nothing else.");
        assertThat(LlmsTxt.firstParagraph("# Title\n\n- a list\n- only")).isNull();
    }
}
