DROP INDEX dossiers_state;
--bun:split
DROP INDEX dossiers_submitted;
--bun:split
ALTER TABLE dossiers DROP COLUMN assigned_group;
--bun:split
DROP TABLE opinions;
--bun:split
DROP TABLE invitations;
--bun:split
DROP TABLE role_bindings;
--bun:split
DROP TABLE group_members;
--bun:split
DROP TABLE groups;
