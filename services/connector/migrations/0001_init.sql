-- connector: its own schema; tables arrive with the issues that need them.
SELECT 1;
