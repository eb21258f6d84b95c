INSERT INTO archive.old_user VALUES (1, 'learner@example.org');
