INSERT INTO account VALUES (1, 5, 10), (2, NULL, 3), (3, 0, NULL);
