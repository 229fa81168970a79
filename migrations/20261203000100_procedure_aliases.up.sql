-- Renamed procedures: each old slug of a procedure, so that its old
-- addresses (/d/{old}, /api/v1/procedures/{old}, /hooks/{old}.{id})
-- redirect to the new ones. A slug is either a procedure's current slug
-- or an alias, never both (renaming back removes the alias).
CREATE TABLE procedure_aliases (
    slug         VARCHAR(100) PRIMARY KEY,
    procedure_id VARCHAR(40) NOT NULL REFERENCES procedures (id),
    created_at   {{.Timestamp}} NOT NULL
);

--bun:split

CREATE INDEX procedure_aliases_procedure ON procedure_aliases (procedure_id);
