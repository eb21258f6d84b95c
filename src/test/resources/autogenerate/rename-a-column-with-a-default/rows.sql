INSERT INTO account (id) VALUES (1); INSERT INTO account VALUES (2, 'closed', NULL);
