INSERT INTO packages (name, user_id) VALUES ('serde', 1);
INSERT INTO versions (package_id, num) VALUES (1, '1.0.0');
