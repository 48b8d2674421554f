-- Parley's events: one row per development, in one table for every negotiation.
--
-- position     the global order (readAll, subscriptions). Taken from an identity sequence by
--              appends that hold parley_append's lock, so positions ascend in commit order and a
--              reader following them never passes an event that commits later (see below).
-- stream       negotiation-<id>; revision is 0-based and gapless within it.
-- event_id     Parley's eventId, unique in the whole store (retries are recognised anywhere).
-- data         the development as sent, kept as text (json, not jsonb: key order and every
--              character as written, \u0000 included).
-- recorded_at  when Parley recorded it; never earlier than the stream's previous event.
CREATE TABLE parley_events (
  position    bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  stream      text        NOT NULL,
  revision    integer     NOT NULL CHECK (revision >= 0),
  event_id    text        NOT NULL,
  type        text        NOT NULL,
  data        json        NOT NULL,
  recorded_at timestamptz NOT NULL,
  CONSTRAINT parley_events_stream_revision UNIQUE (stream, revision),
  CONSTRAINT parley_events_event_id UNIQUE (event_id)
);

-- Appends a group of appends in one transaction (one statement, one commit, one WAL flush), each
-- all or nothing, in the order given. `appends` is a JSON array of
--   {"stream", "expected": "any" | "no-stream" | <revision>, "lastEventId"?, "recordedAt", "events": [{"eventId", "type"}]}
-- and `datas` the events' data, every event of every append in that order. (Apart, because the
-- json operators that take a field out decode the escapes of what they walk through, and refuse
-- \u0000, which a json value may hold; an element of json[] is only checked.)
-- and the answer is {"before": <highest position committed before this group>, "outcomes": [...]}
-- with, per append and in the same order, one of
--   {"revision", "recordedAt", "positions": ["<position>", ...]}   appended
--   {"actual": <the stream's last revision, -1 when none>}          refused: expected revision / last event id
--   {"duplicate": {<the stored event with that id>}}                 refused: an eventId already stored
--
-- Why the lock: a sequence value is taken before commit, so with concurrent writers an event at a
-- lower position can become visible after one at a higher position, and a reader that followed
-- positions would have passed it for good. Holding one transaction-scoped advisory lock from
-- before the first position is taken until after the commit is visible (PostgreSQL releases a
-- transaction's locks after marking it committed) makes positions ascend in commit order: every
-- snapshot sees a prefix of the positions, minus gaps left by rolled-back transactions. Appends
-- from every instance take turns; each turn commits a whole group.
CREATE FUNCTION parley_append(appends json, datas json[]) RETURNS json
LANGUAGE plpgsql AS $fn$
DECLARE
  a          json;
  -- Taken out of `a` once: every ->> on a json value parses its text again.
  name       text;
  events     json;
  -- How many events of the group come before this append's: where its data starts in `datas`.
  offset_    integer := 0;
  count_     integer;
  outcomes   json[] := '{}';
  before     bigint;
  newest     bigint;
  last       record;
  actual     integer;
  expected   text;
  matches    boolean;
  stamped    timestamptz;
  duplicate  json;
  inserted   json;
BEGIN
  PERFORM pg_advisory_xact_lock('parley_events'::regclass::oid::bigint);
  -- An acknowledged append is durable, whatever the server's default.
  PERFORM set_config('synchronous_commit', 'on', true);
  SELECT max(position) INTO before FROM parley_events;
  newest := before;
  FOR a IN SELECT value FROM json_array_elements(appends) LOOP
    name := a->>'stream';
    events := a->'events';
    count_ := json_array_length(events);
    offset_ := offset_ + count_;
    SELECT e.revision, e.recorded_at, e.event_id INTO last
      FROM parley_events e WHERE e.stream = name ORDER BY e.revision DESC LIMIT 1;
    actual := coalesce(last.revision, -1);
    expected := a->>'expected';
    matches := CASE
      WHEN expected = 'any' THEN true
      WHEN expected = 'no-stream' THEN actual = -1
      ELSE expected::integer = actual
    END;
    IF matches AND a->>'lastEventId' IS NOT NULL THEN
      matches := last.event_id IS NOT DISTINCT FROM a->>'lastEventId';
    END IF;
    IF NOT matches THEN
      outcomes := outcomes || json_build_object('actual', actual);
      CONTINUE;
    END IF;

    -- The first of the append's events already stored, looked up by id. (Ordered by the append's
    -- order, not by position: ordering by position lets a cached plan walk the whole table.)
    SELECT json_build_object(
             'stream', e.stream, 'revision', e.revision, 'position', e.position::text,
             'eventId', e.event_id, 'type', e.type, 'data', e.data,
             'recordedAt', to_char(e.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
      INTO duplicate
      FROM json_array_elements(events) WITH ORDINALITY AS n
      JOIN parley_events e ON e.event_id = n.value->>'eventId'
     ORDER BY n.ordinality LIMIT 1;
    IF duplicate IS NOT NULL THEN
      outcomes := outcomes || json_build_object('duplicate', duplicate);
      CONTINUE;
    END IF;

    stamped := greatest((a->>'recordedAt')::timestamptz, last.recorded_at);
    WITH added AS (
      INSERT INTO parley_events (stream, revision, event_id, type, data, recorded_at)
      SELECT name, actual + n.ordinality::integer, n.value->>'eventId', n.value->>'type',
             datas[offset_ - count_ + n.ordinality::integer], stamped
        FROM json_array_elements(events) WITH ORDINALITY AS n
       ORDER BY n.ordinality
      RETURNING revision, position
    )
    SELECT json_build_object(
             'revision', coalesce(max(revision), actual),
             'recordedAt', to_char(stamped AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
             'positions', coalesce(json_agg(position::text ORDER BY revision), '[]'::json)),
           greatest(newest, max(position))
      INTO inserted, newest
      FROM added;
    outcomes := outcomes || inserted;
  END LOOP;
  IF newest IS DISTINCT FROM before THEN
    -- Delivered at commit, to every instance that listens: their subscriptions read on at once.
    PERFORM pg_notify('parley_events', newest::text);
  END IF;
  RETURN json_build_object('before', coalesce(before::text, '0'), 'outcomes', array_to_json(outcomes));
END
$fn$;
