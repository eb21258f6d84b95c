INSERT INTO account VALUES (1, 'ana');
