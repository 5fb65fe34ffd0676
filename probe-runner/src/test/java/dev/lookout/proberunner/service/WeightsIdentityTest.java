package dev.lookout.proberunner.service;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WeightsIdentityTest {

    @Test
    void shouldReuseOnlyWhenWhatIsKnownNowMatchesWhatWasStored() {
        assertTrue(WeightsIdentity.sameWeights("/m/a", "fp_1", "/m/a", "fp_1"));
        assertTrue(WeightsIdentity.sameWeights("/m/a", "fp_1", null, null), "nothing known now: nothing contradicts");
        assertTrue(WeightsIdentity.sameWeights(null, null, null, null));
        assertTrue(WeightsIdentity.sameWeights("/m/a", "fp_1", "/m/a", null), "no fingerprint asked: root decides");
        assertFalse(WeightsIdentity.sameWeights("/m/a", "fp_1", "/m/a/revision-2", "fp_1"), "root changed");
        assertFalse(WeightsIdentity.sameWeights("/m/a", "fp_1", "/m/a", "fp_2"), "fingerprint changed");
        assertFalse(WeightsIdentity.sameWeights(null, "fp_1", "/m/a", "fp_1"), "stored before the root was known");
        assertFalse(WeightsIdentity.sameWeights("/m/a", null, null, "fp_1"), "no fingerprint stored, one now");
    }
}
