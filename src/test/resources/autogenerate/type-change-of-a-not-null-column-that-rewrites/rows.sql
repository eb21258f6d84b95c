INSERT INTO account VALUES (1, 7, 'a'), (2, -3, 'b');
