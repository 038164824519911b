# src/db/local.mk: everything that talks to a server.
# Connections, shared by backup, restore and optimize.
libmyship_a_SOURCES += src/db/conn.c src/db/conn.h src/db/client.c src/db/client.h src/db/privs.c src/db/privs.h \
	src/db/users.c src/db/users.h
# The dump engine.
libmyship_a_SOURCES += src/db/rowfmt.c src/db/rowfmt.h \
	src/db/chunk.c src/db/chunk.h \
	src/db/catalog.c src/db/catalog.h \
	src/db/snapshot.c src/db/snapshot.h \
	src/db/snapshot_int.h src/db/snapshot_mysql.c \
	src/db/dump.c src/db/dump.h src/db/dump_int.h \
	src/db/dump_plan.c src/db/dump_worker.c \
	src/db/dump_rowsum.c src/db/dump_rowsum.h \
	src/db/schema.c src/db/schema.h src/db/schema_int.h \
	src/db/schema_post.c src/db/schema_lib.c src/db/schema_text.c \
	src/db/schema_order.c src/db/schema_order.h
# The restore engine: statement splitter, parallel loader, target probes
# and the apply step that runs a restore plan.
libmyship_a_SOURCES += src/db/sqlsplit.c src/db/sqlsplit.h src/db/insert_cut.c src/db/insert_cut.h \
	src/db/load.c src/db/load.h src/db/load_int.h src/db/load_send.c src/db/load_pool.c src/db/defer.c src/db/defer.h \
	src/db/target.c src/db/target.h src/db/tablesum.c src/db/tablesum.h \
	src/db/target_resume.c src/db/target_resume.h \
	src/db/restore_apply.c src/db/restore_apply.h \
	src/db/restore_apply_int.h src/db/restore_resume.c src/db/restore_apply_diff.c \
	src/db/restore_apply_bg.c \
	src/db/swap.c src/db/swap.h src/db/swap_int.h src/db/swap_query.c
# Replica lag checks and OPTIMIZE TABLE on one host.
libmyship_a_SOURCES += src/db/replica.c src/db/replica.h \
	src/db/optimize_host.c src/db/optimize_host.h
