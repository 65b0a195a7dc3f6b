/*
 * commands.h - one entry point per `wharf` subcommand.
 *
 * Each takes the arguments after the subcommand name (argv[0] is the
 * subcommand itself) and returns the process exit status. Only these
 * functions and main() may print to stdout/stderr for the user.
 */
#ifndef WHARF_COMMANDS_H
#define WHARF_COMMANDS_H

int cmd_db(int argc, char **argv);      /* wharf db migrate|verify|seed */
int cmd_cluster(int argc, char **argv); /* wharf cluster init|start|stop|status */
int cmd_demo(int argc, char **argv);    /* wharf demo [--stop] */
int cmd_station(int argc, char **argv); /* wharf (no subcommand): the TUI */
int cmd_scan(int argc, char **argv);    /* wharf scan decode ... */
int cmd_scanner(int argc, char **argv); /* wharf scanner test|listen ... */
/* wharf scanner test: the scan test screen alone, no database (in
 * cmd_station.c, which owns the terminal side of scanners) */
int cmd_scanner_test(int argc, char **argv);
int cmd_label(int argc, char **argv);   /* wharf label render|print ... */
int cmd_sync(int argc, char **argv);    /* wharf sync ... */

#endif
