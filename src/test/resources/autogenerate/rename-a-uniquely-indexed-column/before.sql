CREATE TABLE account (id integer PRIMARY KEY, mail text);
CREATE UNIQUE INDEX account_mail ON account (mail);
