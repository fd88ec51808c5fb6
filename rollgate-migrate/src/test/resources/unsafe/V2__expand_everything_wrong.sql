-- Everything an expand migration must not do, one statement each.
SET lock_timeout = '5s';

ALTER TABLE users DROP COLUMN nickname;
ALTER TABLE users RENAME COLUMN name TO full_name;
ALTER TABLE users ALTER COLUMN age TYPE bigint;
ALTER TABLE users ALTER COLUMN email SET NOT NULL;
ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();
ALTER TABLE users ADD COLUMN tier text NOT NULL;
CREATE INDEX users_email ON users (email);
ALTER TABLE orders ADD CONSTRAINT orders_user FOREIGN KEY (user_id) REFERENCES users (id);
DROP TABLE legacy_sessions;
ALTER TABLE accounts RENAME TO customers;
