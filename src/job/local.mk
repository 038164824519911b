# src/job/local.mk: one host's or the fleet's job, above db/ and repo/.
libmyship_a_SOURCES += src/job/backup_host.c src/job/backup_host.h \
	src/job/backup_ref.c src/job/backup_ref.h \
	src/job/verify_backup.c src/job/verify_backup.h \
	src/job/verify_ranged.c src/job/verify_ranged.h \
	src/job/decrypt_backup.c src/job/decrypt_backup.h \
	src/job/restore_fetch.c src/job/restore_fetch.h \
	src/job/metrics.c src/job/metrics.h \
	src/job/notify.c src/job/notify.h \
	src/job/prune_host.c src/job/prune_host.h \
	src/job/optimize_fleet.c src/job/optimize_fleet.h
