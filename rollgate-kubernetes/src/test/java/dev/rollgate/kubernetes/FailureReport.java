package dev.rollgate.kubernetes;

import dev.rollgate.testkit.kubernetes.MockCluster;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * On a failed test, before its clean-up: what the cluster and the operator held, and the stack of
 * every platform thread. A wait on the mock API that timed out says little on its own.
 */
final class FailureReport implements AfterTestExecutionCallback {

    private final Supplier<MockCluster> cluster;
    private final Supplier<RolloutOperator> operator;

    /** Suppliers: a test makes (and may replace) its cluster and operator after the report is registered. */
    FailureReport(Supplier<MockCluster> cluster, Supplier<RolloutOperator> operator) {
        this.cluster = cluster;
        this.operator = operator;
    }

    private String state() {
        MockCluster c = cluster.get();
        RolloutOperator o = operator.get();
        StringBuilder out = new StringBuilder();
        if (c != null) {
            out.append(c.describe()).append('\n');
            for (RolloutResource r : c.client.resources(RolloutResource.class).inAnyNamespace().list().getItems()) {
                out.append("Rollout ").append(r.getMetadata().getName()).append(" status=").append(r.getStatus()).append('\n');
            }
        }
        if (o != null) out.append("operator passes=").append(o.passes()).append('\n').append(o.metrics());
        return out.toString();
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        if (context.getExecutionException().isEmpty()) return;
        StringBuilder out = new StringBuilder("---- state when ").append(context.getDisplayName()).append(" failed\n");
        try {
            out.append(state());
        } catch (RuntimeException e) {
            out.append("(the state could not be read: ").append(e).append(')');
        }
        out.append("\n---- threads\n");
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            out.append(thread.getName()).append(' ').append(thread.getState()).append('\n');
            for (StackTraceElement frame : stack) out.append("    at ").append(frame).append('\n');
        });
        System.err.println(out);
    }
}
