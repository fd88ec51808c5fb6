package dev.rollgate.migrate;

import java.util.ArrayList;
import java.util.List;

/**
 * A migration's SQL cut into statements, with the line each starts on and its text with comments
 * removed and whitespace collapsed: quotes, quoted identifiers, dollar-quoted bodies and both
 * kinds of comment are respected, so a semicolon inside any of them does not end a statement.
 */
public final class SqlStatements {

    /** One statement: the line it starts on (1-based) and its text, comments out, one space between words. */
    public record Statement(int line, String text) {}

    private SqlStatements() {}

    public static List<Statement> split(String sql) {
        List<Statement> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int line = 1, startLine = -1;
        int i = 0, n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                while (i < n && sql.charAt(i) != '\n') i++;
                continue;
            }
            if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int depth = 0;
                while (i < n) {
                    if (sql.startsWith("/*", i)) {
                        depth++;
                        i += 2;
                    } else if (sql.startsWith("*/", i)) {
                        depth--;
                        i += 2;
                        if (depth == 0) break;
                    } else {
                        if (sql.charAt(i) == '\n') line++;
                        i++;
                    }
                }
                cur.append(' ');
                continue;
            }
            if (c == '\n') line++;
            if (!Character.isWhitespace(c) && startLine < 0 && c != ';') startLine = line;
            if (c == '\'' || c == '"') {
                int end = i + 1;
                while (end < n) {
                    if (sql.charAt(end) == c) {
                        if (end + 1 < n && sql.charAt(end + 1) == c) {
                            end += 2;
                            continue;
                        }
                        break;
                    }
                    end++;
                }
                end = Math.min(end, n - 1);
                String quoted = sql.substring(i, end + 1);
                line += (int) quoted.chars().filter(x -> x == '\n').count();
                cur.append(quoted);
                i = end + 1;
                continue;
            }
            if (c == '$') {
                int close = sql.indexOf('$', i + 1);
                String tag = close > 0 ? sql.substring(i, close + 1) : null;
                if (tag != null && tag.matches("\\$[A-Za-z_]*\\$")) {
                    int end = sql.indexOf(tag, close + 1);
                    end = end < 0 ? n : end + tag.length();
                    String body = sql.substring(i, end);
                    line += (int) body.chars().filter(x -> x == '\n').count();
                    cur.append(body);
                    i = end;
                    continue;
                }
            }
            if (c == ';') {
                add(out, cur, startLine);
                cur.setLength(0);
                startLine = -1;
                i++;
                continue;
            }
            cur.append(Character.isWhitespace(c) ? ' ' : c);
            i++;
        }
        add(out, cur, startLine);
        return out;
    }

    private static void add(List<Statement> out, StringBuilder cur, int line) {
        String text = cur.toString().replaceAll("\\s+", " ").strip();
        if (!text.isEmpty()) out.add(new Statement(line, text));
    }
}
