/*
 * Inside the restore plan (policy/restore_plan.h): what restore_plan.c
 * asks of restore_plan_select.c, which selects tables (--table), decides
 * which members are needed and groups them into ranges.  Nothing else
 * includes this.
 */
#ifndef MYSHIP_RESTORE_PLAN_INT_H
#define MYSHIP_RESTORE_PLAN_INT_H

#include "policy/restore_plan.h"

/*
 * --table: marks the tables the patterns name (selecting their databases
 * when no --database does, each then partial); without it every table of
 * a selected database.  ERR_NOT_FOUND for a pattern that names none.
 */
int plan_select_tables(struct restore_plan *p, struct err *e);
/* Marks the needed members and recounts the partial databases' totals. */
void plan_needs(struct restore_plan *p);

#endif
