libmyship_a_SOURCES += src/policy/manifest.c src/policy/manifest.h \
	src/policy/restore_plan.c src/policy/restore_plan.h
