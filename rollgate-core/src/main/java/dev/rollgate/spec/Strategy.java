package dev.rollgate.spec;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** How a rollout replaces old replicas with new ones. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({@JsonSubTypes.Type(value = Strategy.RollingUpdate.class, name = "rollingUpdate"),
        @JsonSubTypes.Type(value = Strategy.Recreate.class, name = "recreate")})
public sealed interface Strategy {

    /** Kubernetes' RollingUpdate: at most maxSurge extra and maxUnavailable missing replicas. */
    record RollingUpdate(IntOrPercent maxSurge, IntOrPercent maxUnavailable) implements Strategy {
        public static final RollingUpdate DEFAULT =
                new RollingUpdate(IntOrPercent.percent(25), IntOrPercent.percent(25));
    }

    /** Kubernetes' Recreate: every old replica is gone before a new one starts. */
    record Recreate() implements Strategy {}
}
