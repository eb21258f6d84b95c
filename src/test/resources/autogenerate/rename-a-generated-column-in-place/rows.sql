INSERT INTO account (id, a) VALUES (1, 21);
