package dev.rollgate.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each condition of the contract gate holds it alone, and all four together release it. */
class ContractGateTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final Duration WINDOW = Duration.ofMinutes(10);

    private static ContractGate.Facts released() {
        return new ContractGate.Facts(true, List.of(), NOW.minus(WINDOW), WINDOW, List.of(), NOW);
    }

    @Test
    void allFourConditionsMetReleasesIt() {
        assertThat(ContractGate.holds(released())).isEmpty();
    }

    @Test
    void eachConditionHoldsItAloneAndSaysWhy() {
        var f = released();
        assertThat(ContractGate.holds(new ContractGate.Facts(false, List.of(), null, WINDOW, List.of(), NOW)))
                .containsExactly("the rollout of the current revision has not completed");
        assertThat(ContractGate.holds(new ContractGate.Facts(true, List.of("shop-5ddbb2-x7k2p (revision 1, terminating)"), f.healthySince(), WINDOW, List.of(), NOW)))
                .containsExactly("1 replica(s) of an older revision still run: shop-5ddbb2-x7k2p (revision 1, terminating)");
        assertThat(ContractGate.holds(new ContractGate.Facts(true, List.of(), NOW.minusSeconds(30), WINDOW, List.of(), NOW)))
                .containsExactly("the rollback window (contractAfter 10m) ends in 9m30s, at 2026-12-01T12:09:30Z");
        assertThat(ContractGate.holds(new ContractGate.Facts(true, List.of(), null, WINDOW, List.of(), NOW)))
                .containsExactly("not every replica of the current revision is available");
        assertThat(ContractGate.holds(new ContractGate.Facts(true, List.of(), f.healthySince(), WINDOW, List.of("shop@3f2a9c1b7e (pid 4242)"), NOW)))
                .containsExactly("1 database session(s) of an older revision remain: shop@3f2a9c1b7e (pid 4242)");
    }

    @Test
    void undoToARevisionDeployedBeforeAContractThatRanIsRefusedNamingIt() {
        var contracts = Map.of("4", "V4__contract_drop_name.sql");
        assertThat(ContractGate.undoRefusal(3, Set.of("1", "2", "3"), contracts)).hasValueSatisfying(why ->
                assertThat(why).startsWith("revision 3 was deployed before the contract migration V4__contract_drop_name.sql ran"));
        assertThat(ContractGate.undoRefusal(4, Set.of("1", "2", "3", "4"), contracts)).isEmpty();
        assertThat(ContractGate.undoRefusal(2, Set.of("1"), Map.of())).isEmpty();
    }
}
