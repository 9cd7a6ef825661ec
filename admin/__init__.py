"""The unit's administration: the library record (metadata edits, tags, restrictions), changes to the
library, accounts and roles, sign-in, and the audit log. Used by the shell; imports nothing of it."""
