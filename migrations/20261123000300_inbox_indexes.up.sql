-- Indexes of the back-office inbox (runtime.Inbox, Actor.VisibleFilter):
-- each ends with the id, the inbox's tie-break, so that the first page of
-- a procedure's dossiers, newest first, is read from the index and stops
-- after one page instead of sorting them all. They replace the indexes
-- they extend.

CREATE INDEX dossiers_procedure_order ON dossiers (procedure_id, submitted_at, id);

--bun:split

DROP INDEX dossiers_procedure_submitted;

--bun:split

CREATE INDEX dossiers_order ON dossiers (submitted_at, id);

--bun:split

DROP INDEX dossiers_submitted;

--bun:split

-- The dossiers a consulted role may see: its invitations by procedure,
-- role and status, with the dossier ID in the index (no table read).
CREATE INDEX invitations_visible ON invitations (procedure_id, role_id, status, dossier_id);

--bun:split

DROP INDEX invitations_role;
