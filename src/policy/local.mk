# src/policy/local.mk: pure decisions and formats, tested without servers.
libmyship_a_SOURCES += src/policy/manifest.c src/policy/manifest.h \
	src/policy/manifest_int.h src/policy/manifest_read.c \
	src/policy/restore_plan.c src/policy/restore_plan.h \
	src/policy/restore_plan_int.h src/policy/restore_plan_select.c \
	src/policy/restore_diff.c src/policy/restore_diff.h \
	src/policy/retention.c src/policy/retention.h \
	src/policy/optimize_rules.c src/policy/optimize_rules.h \
	src/policy/verify_due.c src/policy/verify_due.h \
	src/policy/users_rules.c src/policy/users_rules.h \
	src/policy/drill_plan.c src/policy/drill_plan.h \
	src/policy/swap_plan.c src/policy/swap_plan.h
