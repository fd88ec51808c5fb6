package dev.rollgate.spec;

/** A Kubernetes int-or-string value such as {@code 2} or {@code 25%} (maxSurge, maxUnavailable). */
public record IntOrPercent(int value, boolean percent) {

    public IntOrPercent {
        if (value < 0) throw new IllegalArgumentException("negative: " + value);
    }

    public static IntOrPercent of(int value) {
        return new IntOrPercent(value, false);
    }

    public static IntOrPercent percent(int value) {
        return new IntOrPercent(value, true);
    }

    /**
     * The absolute value against {@code total}, as Kubernetes' {@code GetScaledValueFromIntOrPercent}:
     * a percentage is rounded up for maxSurge and down for maxUnavailable.
     */
    public int scaledValue(int total, boolean roundUp) {
        if (!percent) return value;
        long product = (long) value * total;
        return (int) (roundUp ? (product + 99) / 100 : product / 100);
    }

    public boolean isZero() {
        return value == 0;
    }

    @Override
    public String toString() {
        return percent ? value + "%" : Integer.toString(value);
    }
}
