package dev.rollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RetryBudgetTest {

    @Test
    void aQuietServiceMayRetryItsFloorThenAShareOfRequests() {
        RetryBudget budget = new RetryBudget(0.2, 3);
        int granted = 0;
        for (int i = 0; i < 10; i++) if (budget.tryRetry()) granted++;
        assertThat(granted).as("no requests yet: the floor").isEqualTo(3);
        for (int i = 0; i < 100; i++) budget.onRequest();
        for (int i = 0; i < 100; i++) if (budget.tryRetry()) granted++;
        assertThat(granted).as("3 + 20 % of 100").isEqualTo(23);
    }

    @Test
    void theCountsDecaySoTheBudgetFollowsRecentTraffic() {
        RetryBudget budget = new RetryBudget(0.1, 0);
        for (int i = 0; i < 9_999; i++) budget.onRequest();
        int granted = 0;
        while (budget.tryRetry()) granted++;
        assertThat(granted).isEqualTo(999);
        budget.onRequest(); // the 10,000th request halves both counts: 5,000 requests, 499 retries
        int more = 0;
        while (budget.tryRetry()) more++;
        assertThat(more).isEqualTo(1);
    }
}
