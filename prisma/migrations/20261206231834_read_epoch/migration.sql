-- CreateTable
CREATE TABLE "ReadEpoch" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "value" BIGINT NOT NULL,

    CONSTRAINT "ReadEpoch_pkey" PRIMARY KEY ("id")
);

-- The read epoch: every transaction that changes one of the tables below sets the row to a value
-- taken from a sequence, so a committed change always shows as a value no reader has seen before.
-- The write is a deferred constraint trigger: it runs at commit, after the transaction's other
-- writes, so it is the last lock a writer takes (no lock-order cycle with other writers) and the new
-- value becomes visible in the same instant as the change it stands for.
CREATE SEQUENCE "ReadEpoch_value_seq";

INSERT INTO "ReadEpoch" ("id", "value") VALUES (1, nextval('"ReadEpoch_value_seq"'));

CREATE FUNCTION "read_epoch_advance"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Once per transaction, however many rows it changed.
  IF current_setting('strongroom.read_epoch_tx', true) IS DISTINCT FROM txid_current()::text THEN
    PERFORM set_config('strongroom.read_epoch_tx', txid_current()::text, true);
    INSERT INTO "ReadEpoch" ("id", "value") VALUES (1, nextval('"ReadEpoch_value_seq"'))
      ON CONFLICT ("id") DO UPDATE SET "value" = EXCLUDED."value";
  END IF;
  RETURN NULL;
END
$$;

-- TRUNCATE has no row triggers: a statement trigger covers it (it holds an exclusive lock anyway).
CREATE FUNCTION "read_epoch_advance_now"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "ReadEpoch" ("id", "value") VALUES (1, nextval('"ReadEpoch_value_seq"'))
    ON CONFLICT ("id") DO UPDATE SET "value" = EXCLUDED."value";
  RETURN NULL;
END
$$;

DO $$
DECLARE
  watched text;
BEGIN
  FOREACH watched IN ARRAY ARRAY['User', 'Session', 'Invite', 'TeamSettings', 'SecondFactor', 'Token', 'TokenAccount', 'TapiToken', 'TokenVersion', 'TokenGrant', 'AccountHistory', 'AccountDaySnapshot'] LOOP
    EXECUTE format('CREATE CONSTRAINT TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "read_epoch_advance"()', 'read_epoch_' || watched, watched);
    EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION "read_epoch_advance_now"()', 'read_epoch_truncate_' || watched, watched);
  END LOOP;
END
$$;
