package dev.rollgate.controller;

/** A service's expand / contract schema migrations, as the controller gates on them. */
public interface SchemaMigrations {

    /** No database: nothing to gate. */
    SchemaMigrations NONE = new SchemaMigrations() {
        @Override
        public Observed.Migrations state(String hash) {
            return Observed.Migrations.NONE;
        }

        @Override
        public void expand(String hash) {}

        @Override
        public void report(Action.ReportRollout rollout) {}
    };

    /** Where the expand migrations of the template with {@code hash} stand. */
    Observed.Migrations state(String hash);

    /** Starts them (once); the controller is woken when they end. */
    void expand(String hash);

    /** What the contract gate needs to release a contract migration. */
    void report(Action.ReportRollout rollout);
}
