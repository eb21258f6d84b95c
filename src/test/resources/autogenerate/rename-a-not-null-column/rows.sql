INSERT INTO account VALUES (1, 'ana'), (2, 'bo');
