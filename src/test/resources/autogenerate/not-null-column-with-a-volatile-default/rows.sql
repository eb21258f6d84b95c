INSERT INTO account SELECT n, 'name ' || n FROM generate_series(1, 2500) AS n;
