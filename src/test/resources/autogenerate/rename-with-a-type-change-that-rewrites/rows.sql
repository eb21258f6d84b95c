INSERT INTO account VALUES (1, '\x6869'::bytea), (2, NULL);
