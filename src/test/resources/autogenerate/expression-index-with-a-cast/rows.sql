INSERT INTO community VALUES (1, 'Ana', 5), (2, 'Bo', 0);
