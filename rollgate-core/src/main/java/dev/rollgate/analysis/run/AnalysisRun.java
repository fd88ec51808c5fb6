package dev.rollgate.analysis.run;

import dev.rollgate.analysis.AnalysisPhase;
import dev.rollgate.analysis.AnalysisRunView;
import dev.rollgate.analysis.MetricResult;
import dev.rollgate.analysis.MetricRules;
import dev.rollgate.spec.AnalysisTemplate;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One analysis run: every metric of its templates measured on its own schedule (initialDelay,
 * interval, count) by a virtual thread, judged by Argo's rules. The run stops measuring once its
 * phase is decided, or when the rollout no longer wants it ({@link #terminate}).
 */
public final class AnalysisRun implements AutoCloseable {

    /** One metric of the run: what to measure, whether it is dry-run, and its results so far. */
    private static final class Task {
        final AnalysisTemplate.Metric metric;
        final boolean dryRun;
        final Providers providers = new Providers();
        volatile MetricResult result;

        Task(AnalysisTemplate.Metric metric, boolean dryRun) {
            this.metric = metric;
            this.dryRun = dryRun;
            this.result = MetricResult.empty(metric.name(), dryRun);
        }
    }


    private final String key;
    private final String templates;
    private final RunContext ctx;
    private final Runnable onChange;
    private final List<Task> tasks = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Instant started = Instant.now();
    private volatile boolean terminated;

    public AnalysisRun(String key, List<AnalysisTemplate> templates, RunContext ctx, Runnable onChange) {
        this.key = key;
        this.templates = String.join(",", templates.stream().map(AnalysisTemplate::name).toList());
        this.ctx = ctx;
        this.onChange = onChange;
        for (AnalysisTemplate t : templates) {
            for (AnalysisTemplate.Metric m : t.metrics()) tasks.add(new Task(m, t.dryRun().contains(m.name())));
        }
    }

    public String key() {
        return key;
    }

    public void start() {
        for (Task t : tasks) threads.add(Thread.ofVirtual().name("analysis-" + ctx.service() + "-" + key + "-" + t.metric.name()).start(() -> run(t)));
    }

    private void run(Task t) {
        try {
            sleep(t.metric.initialDelay());
            while (!terminated) {
                t.result = t.result.plus(measure(t));
                onChange.run();
                if (MetricRules.assess(t.metric, t.result, false).completed() || phase().completed()) return;
                sleep(t.metric.interval() == null ? Duration.ofSeconds(1) : t.metric.interval());
            }
        } catch (InterruptedException e) {
            // terminated
        }
    }

    private MetricResult.Measurement measure(Task t) {
        return measureOnce(t.providers, t.metric, ctx, Instant.now());
    }

    /** One measurement of {@code metric}, judged by its conditions; whatever goes wrong is an Error measurement, never a throw. */
    static MetricResult.Measurement measureOnce(Providers providers, AnalysisTemplate.Metric metric, RunContext ctx, Instant at) {
        try {
            Reading r = providers.measure(metric, ctx);
            AnalysisPhase phase = r.outcome() != null ? r.outcome()
                    : MetricRules.evaluate(expand(metric.successCondition(), ctx), expand(metric.failureCondition(), ctx), r.value());
            return new MetricResult.Measurement(phase, r.value(), r.message(), at);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new MetricResult.Measurement(AnalysisPhase.ERROR, null, "interrupted", at);
        } catch (Exception | Error e) {
            // An Error too (a job's output exhausting memory, a stack overflow in a query): the measurement
            // is an Error the metric's rules count, never a thread that dies and leaves the run Pending.
            Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
            String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getClass().getSimpleName() + ": " + cause.getMessage();
            return new MetricResult.Measurement(AnalysisPhase.ERROR, null, why, at);
        }
    }

    private static String expand(String condition, RunContext ctx) {
        return condition == null ? null : AnalysisTemplate.expand(condition, ctx.args());
    }

    private static void sleep(Duration d) throws InterruptedException {
        if (d != null && !d.isZero()) Thread.sleep(d);
    }

    /** The run's phase by Argo's rules: its worst non-dry-run metric. */
    public AnalysisPhase phase() {
        List<AnalysisPhase> phases = new ArrayList<>();
        List<Boolean> dry = new ArrayList<>();
        for (Task t : tasks) {
            phases.add(MetricRules.assess(t.metric, t.result, terminated));
            dry.add(t.dryRun);
        }
        return MetricRules.run(phases, dry);
    }

    public AnalysisRunView view() {
        List<AnalysisRunView.Metric> metrics = tasks.stream().map(t -> {
            MetricResult r = t.result;
            MetricResult.Measurement last = r.last();
            return new AnalysisRunView.Metric(t.metric.name(), MetricRules.assess(t.metric, r, terminated), t.dryRun, r.count(), r.successful(),
                    r.failed(), r.inconclusive(), r.error(), last == null ? null : format(last.value()),
                    last == null ? null : last.message(),
                    r.measurements().stream().map(m -> new AnalysisRunView.Measurement(m.at(), m.phase(), format(m.value()), m.message())).toList());
        }).toList();
        return new AnalysisRunView(key, templates, phase(), started, metrics);
    }

    /** A value for people: numbers to 4 significant digits, objects as name=value pairs. */
    static String format(Object v) {
        if (v instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) return d.toString();
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString(d.longValue())
                    : new BigDecimal(d).round(new MathContext(4)).stripTrailingZeros().toPlainString();
        }
        if (v instanceof Map<?, ?> m) {
            StringBuilder b = new StringBuilder();
            m.forEach((k, x) -> b.append(b.isEmpty() ? "" : " ").append(k).append('=').append(format(x)));
            return b.toString();
        }
        if (v instanceof List<?> l) return l.stream().map(AnalysisRun::format).toList().toString();
        return String.valueOf(v);
    }

    /** Stops measuring; metrics that have not failed count as Successful from now on. */
    public void terminate() {
        terminated = true;
        threads.forEach(Thread::interrupt);
    }

    @Override
    public void close() {
        terminate();
    }
}
