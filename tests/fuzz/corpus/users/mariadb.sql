-- accounts
SET NAMES utf8mb4;
-- myship create role r@ - 15
CREATE ROLE `r`;
-- myship create user u@%25 mysql_native_password 86
CREATE USER `u`@`%` IDENTIFIED BY PASSWORD '*94BDCEBE19083CE2A1F959FD02F964C7AF4CFC29';
-- myship grant user u@%25 - 66
GRANT SELECT (`a`), INSERT ON `d`.`t` TO `u`@`%` WITH GRANT OPTION;
-- myship grant user u@%25 - 20
GRANT `r` TO `u`@`%`;
-- myship default user u@%25 - 32
SET DEFAULT ROLE `r` FOR `u`@`%`;
