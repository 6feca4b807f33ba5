-- The agent's own bookkeeping, in the maintenance database "postgres".
-- Only superusers (the agent) can read or write it: nothing here is granted to PUBLIC.

-- The protected default user of each application database, recorded by `pgusers provision`.
-- The owner of an application database counts as protected even without a row here.
CREATE TABLE pgusers.protected_user (
    database_name  name        NOT NULL,
    user_name      name        NOT NULL,
    recorded_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (database_name, user_name)
);

-- The users pgusers created, with the access level it promised them.
CREATE TABLE pgusers.managed_user (
    database_name  name        NOT NULL,
    user_name      name        NOT NULL,
    access         text        NOT NULL CHECK (access IN ('read-write', 'read-only')),
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (database_name, user_name)
);

-- One row per operation, whatever its outcome. Never a password.
CREATE TABLE pgusers.audit_event (
    id               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    request_id       uuid        NOT NULL,
    actor            text        NOT NULL,   -- the OS user of a CLI call, or the API caller
    client_address   text,                   -- the API caller's address; null for the CLI
    connecting_role  name        NOT NULL DEFAULT session_user,
    operation        text        NOT NULL,   -- provision, create, update-password, delete
    database_name    name        NOT NULL,
    target_user      name,
    outcome          text        NOT NULL,   -- success, or the failure kind
    detail           text                    -- the message shown to the user
);

CREATE INDEX audit_event_occurred_at ON pgusers.audit_event (occurred_at);

REVOKE ALL ON SCHEMA pgusers FROM PUBLIC;
