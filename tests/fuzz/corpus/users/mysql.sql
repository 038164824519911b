-- myship create user app@localhost caching_sha2_password 164
CREATE USER `app`@`localhost` IDENTIFIED WITH 'caching_sha2_password' AS 0x2441243030352430 DEFAULT ROLE `r`@`%` REQUIRE NONE PASSWORD EXPIRE DEFAULT ACCOUNT UNLOCK;
-- myship grant user app@localhost - 49
REVOKE INSERT ON `mysql`.* FROM `app`@`localhost`;
-- myship default user app@localhost - 45
SET DEFAULT ROLE `r`@`%` TO `app`@`localhost`;
