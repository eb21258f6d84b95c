INSERT INTO account VALUES (1, 'ana', NULL), (2, NULL, NULL);
