INSERT INTO account VALUES (1, 'ana@example.org'), (2, NULL), (3, 'li@example.org');
