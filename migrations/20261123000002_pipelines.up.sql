-- Pipelines: agent groups, the binding of pipeline roles to groups,
-- invitations of roles on dossiers (circulation) and their opinions.

CREATE TABLE groups (
    id         VARCHAR(40) PRIMARY KEY,
    name       VARCHAR(100) NOT NULL UNIQUE,
    label      VARCHAR(200) NOT NULL,
    created_at {{.Timestamp}} NOT NULL
);

--bun:split

CREATE TABLE group_members (
    group_id VARCHAR(40) NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    user_id  VARCHAR(40) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, user_id)
);

--bun:split

CREATE INDEX group_members_user ON group_members (user_id);

--bun:split

-- role_bindings gives the members of a group a pipeline role on one
-- procedure. kind is the role's kind when bound (processing, consulted).
CREATE TABLE role_bindings (
    procedure_id VARCHAR(40) NOT NULL REFERENCES procedures (id),
    role_id      VARCHAR(60) NOT NULL,
    group_id     VARCHAR(40) NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    kind         VARCHAR(20) NOT NULL,
    PRIMARY KEY (procedure_id, role_id, group_id)
);

--bun:split

CREATE INDEX role_bindings_group ON role_bindings (group_id);

--bun:split

CREATE TABLE invitations (
    id           VARCHAR(40) PRIMARY KEY,
    dossier_id   VARCHAR(40) NOT NULL REFERENCES dossiers (id),
    procedure_id VARCHAR(40) NOT NULL,
    role_id      VARCHAR(60) NOT NULL,
    status       VARCHAR(20) NOT NULL,
    activated_at {{.Timestamp}} NOT NULL,
    invited_at   {{.Timestamp}},
    due_at       {{.Timestamp}},
    returned_at  {{.Timestamp}},
    overdue_at   {{.Timestamp}},
    updated_at   {{.Timestamp}} NOT NULL,
    UNIQUE (dossier_id, role_id)
);

--bun:split

CREATE INDEX invitations_role ON invitations (procedure_id, role_id, status);

--bun:split

CREATE INDEX invitations_due ON invitations (status, due_at);

--bun:split

CREATE TABLE opinions (
    id          VARCHAR(40) PRIMARY KEY,
    dossier_id  VARCHAR(40) NOT NULL REFERENCES dossiers (id),
    role_id     VARCHAR(60) NOT NULL,
    author_id   VARCHAR(40) NOT NULL,
    decision    VARCHAR(60) NOT NULL DEFAULT '',
    data        {{.JSON}} NOT NULL,
    returned_at {{.Timestamp}} NOT NULL
);

--bun:split

CREATE INDEX opinions_dossier ON opinions (dossier_id, returned_at);

--bun:split

ALTER TABLE dossiers ADD COLUMN assigned_group VARCHAR(100) NOT NULL DEFAULT '';

--bun:split

CREATE INDEX dossiers_submitted ON dossiers (submitted_at);

--bun:split

CREATE INDEX dossiers_state ON dossiers (procedure_id, state, submitted_at);
