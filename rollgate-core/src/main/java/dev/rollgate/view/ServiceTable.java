package dev.rollgate.view;

import dev.rollgate.controller.RolloutStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The table {@code rollgate get} prints, one line per service as {@code kubectl get deployments} prints
 * one per Deployment. It is made where the services are: the daemon serves it as tab-separated values,
 * as the Kubernetes API server serves kubectl a Table, so the command that prints it reads no JSON (ADR
 * 0019); for a cluster the CLI makes it from the Rollouts it reads.
 */
public record ServiceTable(List<String> header, List<List<String>> rows) {

    /** The media type of {@link #tsv()}, which a client asks for with {@code Accept}. */
    public static final String MEDIA_TYPE = "text/tab-separated-values";

    private static final List<String> COLUMNS = List.of("NAME", "REVISION", "VERSION", "READY", "UP-TO-DATE", "AVAILABLE", "PHASE", "PORT", "AGE");

    public ServiceTable {
        header = List.copyOf(header);
        rows = rows.stream().<List<String>>map(List::copyOf).toList();
    }

    /** The services' lines at {@code now}; {@code wide} adds the image the current revision runs (its digest once resolved). */
    public static ServiceTable of(List<ServiceView> services, boolean wide, Instant now) {
        List<String> header = new ArrayList<>(COLUMNS);
        if (wide) header.add("IMAGE");
        List<List<String>> rows = new ArrayList<>();
        for (ServiceView s : services) rows.add(row(s, wide, now));
        return new ServiceTable(header, rows);
    }

    private static List<String> row(ServiceView s, boolean wide, Instant now) {
        RolloutStatus st = s.status() == null ? RolloutStatus.NONE : s.status();
        Instant created = s.revisions().isEmpty() ? null : s.revisions().get(0).created();
        List<String> row = new ArrayList<>(List.of(s.name(), Integer.toString(st.revision()), st.version() == null ? "-" : st.version(),
                st.ready() + "/" + st.desired(), Integer.toString(st.updated()), Integer.toString(st.available()),
                s.phase() == null ? "-" : s.phase(), s.port() == 0 ? "-" : Integer.toString(s.port()), Age.of(created, now)));
        if (wide) row.add(image(s));
        return row;
    }

    /** The image the current revision runs, or "-" for a process. */
    private static String image(ServiceView s) {
        for (ServiceView.RevisionView r : s.revisions()) {
            if (r.currentRevision()) return r.image() == null ? "-" : r.image();
        }
        return "-";
    }

    /** The header and the rows, one per line, cells separated by tabs (a tab or line break inside a cell becomes a space). */
    public String tsv() {
        StringBuilder b = new StringBuilder();
        line(b, header);
        rows.forEach(r -> line(b, r));
        return b.toString();
    }

    private static void line(StringBuilder b, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) b.append('\t');
            b.append(cells.get(i).replace('\t', ' ').replace('\r', ' ').replace('\n', ' '));
        }
        b.append('\n');
    }

    /** A table read back from {@link #tsv()}; what is not one (no header, a row of another width) is an IllegalArgumentException. */
    public static ServiceTable parse(String tsv) {
        List<String> lines = tsv.lines().toList();
        if (lines.isEmpty() || lines.get(0).isBlank()) throw new IllegalArgumentException("no header line");
        List<String> header = List.of(lines.get(0).split("\t", -1));
        List<List<String>> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            List<String> row = List.of(lines.get(i).split("\t", -1));
            if (row.size() != header.size()) {
                throw new IllegalArgumentException("line " + (i + 1) + " has " + row.size() + " cells, the header " + header.size());
            }
            rows.add(row);
        }
        return new ServiceTable(header, rows);
    }
}
