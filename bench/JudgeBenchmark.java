import dev.rollgate.analysis.MannWhitney;
import dev.rollgate.analysis.SequentialErrorRatio;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * {@code bench/judge.sh} (run from source against the CLI jar, so that no benchmark ships in Rollgate): simulated canaries judged three ways, side by side. Each run sends up to
 * 20,000 requests, 10 % to the canary, and the judge looks after every 10 requests (continuous
 * checking, as a controller does). Reported: how often identical versions are failed (false
 * aborts) and, for a canary with 5 % (and, sparse, 1 %) errors against a 0.1 % baseline, how
 * often and after how many requests it is failed.
 *
 * <ul>
 *   <li>Rollgate's sequential test ({@link SequentialErrorRatio}, alpha 0.01, tolerance 0.25);</li>
 *   <li>a one-sided two-proportion z-test at 0.01, re-run at every look (what threshold checks on a
 *       growing window amount to);</li>
 *   <li>Kayenta's way: the Mann-Whitney test on per-interval error rates (one interval = 1,000
 *       requests), growing window, confidence 0.98, at the end of each interval.</li>
 * </ul>
 */
public final class JudgeBenchmark {

    private static final int MAX_REQUESTS = 20_000, LOOK = 10, INTERVAL = 1_000;
    private static final double WEIGHT = 0.10;

    private JudgeBenchmark() {}

    interface Judge {
        /** Called at every look with cumulative counts; true: the canary fails. */
        boolean look(long nc, long ec, long ns, long es, boolean intervalEnd);
    }

    static Judge sequential() {
        return new Judge() {
            SequentialErrorRatio.State s = SequentialErrorRatio.start(0.25);
            long pnc, pec, pns, pes;

            public boolean look(long nc, long ec, long ns, long es, boolean intervalEnd) {
                s = SequentialErrorRatio.update(s, nc - pnc, ec - pec, ns - pns, es - pes, 0.01);
                pnc = nc;
                pec = ec;
                pns = ns;
                pes = es;
                return s.rejected();
            }
        };
    }

    static Judge zTest() {
        return (nc, ec, ns, es, intervalEnd) -> {
            if (nc == 0 || ns == 0 || ec + es == 0) return false;
            double pc = (double) ec / nc, ps = (double) es / ns, p = (double) (ec + es) / (nc + ns);
            double se = Math.sqrt(p * (1 - p) * (1.0 / nc + 1.0 / ns));
            return se > 0 && (pc - ps) / se > 2.326; // one-sided, alpha 0.01
        };
    }

    static Judge kayenta() {
        return new Judge() {
            final List<Double> canary = new ArrayList<>(), stable = new ArrayList<>();
            long pnc, pec, pns, pes;

            public boolean look(long nc, long ec, long ns, long es, boolean intervalEnd) {
                if (!intervalEnd) return false;
                if (nc > pnc) canary.add((double) (ec - pec) / (nc - pnc));
                if (ns > pns) stable.add((double) (es - pes) / (ns - pns));
                pnc = nc;
                pec = ec;
                pns = ns;
                pes = es;
                if (canary.size() < 3 || stable.size() < 3) return false;
                double p = MannWhitney.pValueGreater(canary.stream().mapToDouble(Double::doubleValue).toArray(),
                        stable.stream().mapToDouble(Double::doubleValue).toArray());
                return p < 0.02;
            }
        };
    }

    /** Requests until the judge failed the canary, or -1. */
    static long run(SplittableRandom rnd, Judge judge, double canaryRate, double stableRate) {
        long nc = 0, ec = 0, ns = 0, es = 0;
        for (int i = 1; i <= MAX_REQUESTS; i++) {
            if (rnd.nextDouble() < WEIGHT) {
                nc++;
                if (rnd.nextDouble() < canaryRate) ec++;
            } else {
                ns++;
                if (rnd.nextDouble() < stableRate) es++;
            }
            if (i % LOOK == 0 && judge.look(nc, ec, ns, es, i % INTERVAL == 0)) return i;
        }
        return -1;
    }

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        System.out.printf(Locale.ROOT, "%d simulated runs per cell; %d requests at most, %.0f%% to the canary, a look every %d requests%n%n",
                runs, MAX_REQUESTS, WEIGHT * 100, LOOK);
        System.out.printf(Locale.ROOT, "%-42s %-24s %-26s %s%n", "JUDGE", "FALSE ABORTS (0.1% both)", "5% vs 0.1%: FAILED, AFTER",
                "1% vs 0.1% (sparse): FAILED, AFTER");
        String[] names = {"rollgate sequential test (alpha 0.01)", "z-test at every look (alpha 0.01)", "Kayenta-style Mann-Whitney per interval"};
        for (int j = 0; j < 3; j++) {
            SplittableRandom rnd = new SplittableRandom(42 + j);
            int falseAborts = 0;
            for (int r = 0; r < runs; r++) if (run(rnd, judge(j), 0.001, 0.001) > 0) falseAborts++;
            System.out.printf(Locale.ROOT, "%-42s %-24s %-26s %s%n", names[j],
                    String.format(Locale.ROOT, "%.2f%% (%d/%d)", 100.0 * falseAborts / runs, falseAborts, runs),
                    detection(rnd, j, runs, 0.05), detection(rnd, j, runs, 0.01));
        }
        System.out.println();
        System.out.println("AFTER: requests sent (all revisions) until the canary was failed, median / p90 of the runs that failed it.");
        System.out.println("A false abort rolls back a good release; the sequential test bounds it by alpha however often it looks.");
    }

    private static String detection(SplittableRandom rnd, int j, int runs, double canaryRate) {
        List<Long> at = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            long n = run(rnd, judge(j), canaryRate, 0.001);
            if (n > 0) at.add(n);
        }
        long[] sorted = at.stream().mapToLong(Long::longValue).sorted().toArray();
        String speed = sorted.length == 0 ? "-" : String.format(Locale.ROOT, "%d / %d", sorted[sorted.length / 2],
                sorted[(int) Math.min(sorted.length - 1, Math.floor(sorted.length * 0.9))]);
        return String.format(Locale.ROOT, "%.1f%%, %s", 100.0 * at.size() / runs, speed);
    }

    private static Judge judge(int j) {
        return switch (j) {
            case 0 -> sequential();
            case 1 -> zTest();
            default -> kayenta();
        };
    }
}
