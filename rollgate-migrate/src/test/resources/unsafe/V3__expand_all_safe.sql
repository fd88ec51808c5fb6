SET lock_timeout = '5s';
/* A new table may be built any way: nothing uses it yet; ; */
CREATE TABLE audit (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), what text NOT NULL);
CREATE INDEX audit_at ON audit (at);
ALTER TABLE audit ADD CONSTRAINT audit_what CHECK (length(what) > 0);
ALTER TABLE users ADD COLUMN full_name text;
ALTER TABLE users ADD COLUMN created timestamptz DEFAULT now();
CREATE INDEX CONCURRENTLY users_full_name ON users (full_name);
ALTER TABLE orders ADD CONSTRAINT orders_user FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_user;
ALTER TABLE users ADD CONSTRAINT users_email_nn CHECK (email IS NOT NULL) NOT VALID;
ALTER TABLE users VALIDATE CONSTRAINT users_email_nn;
ALTER TABLE users ALTER COLUMN email SET NOT NULL;
UPDATE users SET note = 'a; b -- not a comment' WHERE note IS NULL;
DO $$ BEGIN PERFORM 1; DROP TABLE IF EXISTS nothing_here_really; END $$;
