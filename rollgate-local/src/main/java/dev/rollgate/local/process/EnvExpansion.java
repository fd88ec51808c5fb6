package dev.rollgate.local.process;

import java.util.List;
import java.util.Map;

/** Kubernetes' {@code $(VAR)} expansion in argv: known names are replaced, {@code $$} escapes, the rest stays as written. */
public final class EnvExpansion {

    private EnvExpansion() {}

    public static List<String> expand(List<String> argv, Map<String, String> env) {
        return argv.stream().map(a -> expand(a, env)).toList();
    }

    public static String expand(String s, Map<String, String> env) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '$' && i + 1 < s.length() && s.charAt(i + 1) == '$') {
                out.append('$');
                i += 2;
            } else if (c == '$' && i + 1 < s.length() && s.charAt(i + 1) == '(') {
                int close = s.indexOf(')', i + 2);
                String name = close < 0 ? null : s.substring(i + 2, close);
                if (name != null && env.containsKey(name)) {
                    out.append(env.get(name));
                    i = close + 1;
                } else {
                    out.append(c);
                    i++;
                }
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
