/* The command table, and running one entry of it. */
#include <string.h>

#include "cmd/args.h"
#include "cmd/cmd.h"

extern const struct cmd_entry cmd_backup_entry, cmd_restore_entry,
    cmd_list_entry, cmd_check_entry, cmd_optimize_entry, cmd_prune_entry,
    cmd_run_entry, cmd_status_entry, cmd_verify_entry, cmd_keygen_entry,
    cmd_decrypt_entry, cmd_drill_entry;

const struct cmd_entry *const cmd_table[] = {
	&cmd_backup_entry,
	&cmd_restore_entry,
	&cmd_list_entry,
	&cmd_check_entry,
	&cmd_optimize_entry,
	&cmd_prune_entry,
	&cmd_run_entry,
	&cmd_status_entry,
	&cmd_verify_entry,
	&cmd_drill_entry,
	&cmd_keygen_entry,
	&cmd_decrypt_entry,
	NULL
};

const struct cmd_entry *
cmd_find(const char *name)
{
	size_t i;

	for (i = 0; cmd_table[i] != NULL; i++)
		if (strcmp(cmd_table[i]->name, name) == 0)
			return cmd_table[i];
	return NULL;
}

int
cmd_exec(const struct cmd_entry *ent, struct cmd_ctx *ctx, int argc,
    char **argv, struct err *e)
{
	struct cmd_args a;
	int rc;

	rc = cmd_args_parse(ent, ctx, argc, argv, &a, e);
	if (rc == 0)
		rc = ent->exec(ctx, &a, e);
	else if (rc == 1)
		rc = 0;
	cmd_args_free(&a);
	return rc;
}
