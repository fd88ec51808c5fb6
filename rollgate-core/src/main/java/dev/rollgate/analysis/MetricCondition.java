package dev.rollgate.analysis;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.jexl3.JexlBuilder;
import org.apache.commons.jexl3.JexlEngine;
import org.apache.commons.jexl3.JexlException;
import org.apache.commons.jexl3.JexlExpression;
import org.apache.commons.jexl3.MapContext;
import org.apache.commons.jexl3.internal.introspection.Uberspect;
import org.apache.commons.jexl3.introspection.JexlPermissions;
import org.apache.commons.jexl3.introspection.JexlUberspect;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.impl.NoOpLog;

/**
 * A {@code successCondition} or {@code failureCondition}: an expression over {@code result}, as
 * Argo Rollouts writes them ({@code result >= 0.95}, {@code result[0] < 0.5},
 * {@code len(result) == 0 || result.ok}). Evaluated by Apache Commons JEXL with no access to
 * Java classes, plus Argo's functions {@code len}, {@code isNaN}, {@code isInf} and {@code default}.
 */
public final class MetricCondition {

    // With strict(true) and silent(false) JEXL throws what goes wrong rather than logging it, so a log that drops
    // loses nothing. Without a log and an introspector of its own, JEXL's first use makes them through
    // commons-logging, whose discovery searches the class path (the whole jar: 20 ms of rollgate validate).
    private static final JexlPermissions PERMISSIONS = JexlPermissions.RESTRICTED.compose("dev.rollgate.analysis.*");
    private static final Log QUIET = new NoOpLog();
    private static final JexlEngine JEXL = new JexlBuilder()
            .logger(QUIET)
            .uberspect(new Uberspect(QUIET, JexlUberspect.JEXL_STRATEGY, PERMISSIONS))
            .permissions(PERMISSIONS)
            .namespaces(functions())
            .strict(true)
            .silent(false)
            .safe(false)
            .cache(256)
            .create();

    private final String text;
    private final JexlExpression expression;

    private MetricCondition(String text, JexlExpression expression) {
        this.text = text;
        this.expression = expression;
    }

    /** Compiles {@code text}; a syntax error comes back as an IllegalArgumentException naming what is wrong. */
    public static MetricCondition of(String text) {
        try {
            return new MetricCondition(text, JEXL.createExpression(text.replaceAll("\\bdefault\\(", "defaultValue(")));
        } catch (JexlException e) {
            throw new IllegalArgumentException("not a valid expression: " + reason(e));
        }
    }

    /** True or false for this result; anything else (an unknown name, a non-boolean) is an IllegalArgumentException. */
    public boolean test(Object result) {
        MapContext context = new MapContext();
        context.set("result", result);
        Object value;
        try {
            value = expression.evaluate(context);
        } catch (JexlException e) {
            throw new IllegalArgumentException("cannot evaluate '" + text + "' with result " + result + ": " + reason(e));
        }
        if (value instanceof Boolean b) return b;
        throw new IllegalArgumentException("'" + text + "' gave " + value + ", not true or false");
    }

    @Override
    public String toString() {
        return text;
    }

    private static Map<String, Object> functions() {
        Map<String, Object> m = new HashMap<>();
        m.put(null, Functions.class); // functions called without a namespace: len(result)
        return m;
    }

    /** JEXL's message without its location prefix ("Class.method:12@1:4 "). */
    private static String reason(JexlException e) {
        String m = e.getMessage();
        if (m == null) return e.getClass().getSimpleName();
        int space = m.indexOf(' ');
        return space > 0 && m.substring(0, space).contains("@") ? m.substring(space + 1).strip() : m;
    }

    /** Argo's expression functions, under JEXL's empty namespace. */
    public static final class Functions {
        private Functions() {}

        public static int len(Object o) {
            if (o instanceof Collection<?> c) return c.size();
            if (o instanceof Map<?, ?> m) return m.size();
            if (o instanceof String s) return s.length();
            return o == null ? 0 : 1;
        }

        public static boolean isNaN(Object o) {
            return o instanceof Number n && Double.isNaN(n.doubleValue()) || o instanceof List<?> l && !l.isEmpty() && isNaN(l.get(0));
        }

        public static boolean isInf(Object o) {
            return o instanceof Number n && Double.isInfinite(n.doubleValue());
        }

        public static Object defaultValue(Object o, Object fallback) {
            return o == null || isNaN(o) ? fallback : o;
        }
    }
}
