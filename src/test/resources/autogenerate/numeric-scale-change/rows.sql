INSERT INTO invoice VALUES (1, 12.34), (2, -0.5);
