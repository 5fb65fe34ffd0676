package dev.lookout.review.service;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rubric tag ids from labels and the old "zh / en" config strings (pure). */
class RubricIdsTest {

    @Test
    void shouldSplitTheConfiguredLabels() {
        assertEquals(new RubricTag.Label("more cautious", "更谨慎"), ProjectSettingsService.parseCombined("更谨慎 / more cautious"));
        assertEquals(new RubricTag.Label(null, "啰嗦"), ProjectSettingsService.parseCombined("啰嗦"));
        assertEquals(new RubricTag.Label("wordy", null), ProjectSettingsService.parseCombined("wordy"));
    }

    @Test
    void shouldDeriveUniqueIdsFromTheEnglishLabel() {
        Set<String> taken = new HashSet<>();
        assertEquals("stock-phrase", ProjectSettingsService.freshId(new RubricTag.Label("Stock phrase!", "套话"), taken));
        assertEquals("stock-phrase-2", ProjectSettingsService.freshId(new RubricTag.Label("stock  phrase", null), taken));
        assertEquals("tag", ProjectSettingsService.freshId(new RubricTag.Label(null, "啰嗦"), taken));
        assertEquals("tag-2", ProjectSettingsService.freshId(new RubricTag.Label(null, "跑题"), taken));
        String longId = ProjectSettingsService.freshId(new RubricTag.Label("a very long label that goes on and on and on", null), taken);
        assertTrue(ProjectSettingsService.ID.matcher(longId).matches(), longId);
    }

    @Test
    void shouldMatchATagByIdOrAnyOfItsLabels() {
        RubricTag tag = new RubricTag("stock-phrase", new RubricTag.Label("stock phrase", "套话"));
        assertTrue(tag.matches("stock-phrase"));
        assertTrue(tag.matches("stock phrase"));
        assertTrue(tag.matches("套话"));
        assertTrue(tag.matches("套话 / stock phrase"));
        assertFalse(tag.matches("Stock phrase"));
        assertFalse(tag.matches(null));
    }
}
