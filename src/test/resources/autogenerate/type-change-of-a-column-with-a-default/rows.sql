INSERT INTO account (id, name) VALUES (1, 'a'); INSERT INTO account VALUES (2, 7, 'b');
