/* core/command.h — the one table of named commands.
 *
 * Everything socemu can be asked to do is a command with typed, named arguments (a JSON
 * object) and a JSON result. The command line is translated into a list of commands and run
 * through soc_command_execute(); the machine protocol runs the same table, so nothing the
 * command line does is out of a tool's reach. */
#ifndef SOC_COMMAND_H
#define SOC_COMMAND_H

#include <glib.h>
#include <stdbool.h>

#include "core/json.h"
#include "core/sched.h"

typedef struct SocSession SocSession;

typedef enum { SOC_ARG_STRING, SOC_ARG_INT, SOC_ARG_BOOL } SocArgType;

typedef struct SocArgDesc {
	const char *name;
	SocArgType type;
	bool required;
	const char *help;
} SocArgDesc;

typedef enum {
	SOC_PHASE_SETUP,     /* only before the machine is built */
	SOC_PHASE_MACHINE,   /* only once it is built */
	SOC_PHASE_ANY,
} SocCommandPhase;

typedef struct SocCommand {
	const char *name;
	const char *help;
	SocCommandPhase phase;
	const SocArgDesc *args;      /* terminated by a NULL name */
	/* args: an object already checked against the table, or NULL (no arguments); *result may
	 * be set to the command's result, which the caller then owns. */
	bool (*exec)(SocSession *s, const SocJson *args, SocJson **result, GError **err);
} SocCommand;

SocSession *soc_session_new(GMainContext *ctx);
void soc_session_free(SocSession *s);
SocMachine *soc_session_machine(SocSession *s);
SocLog *soc_session_log(SocSession *s);
/* The outcome of the last "run" command (valid after one ran). */
const SocRunResult *soc_session_last_run(SocSession *s);
/* How many images were given; a run without any has nothing to do. */
unsigned soc_session_image_count(SocSession *s);

/* "main+0x12" for an address in the images loaded into the cpu's cluster, or NULL. */
char *soc_session_symbolize(SocSession *s, const SocCpu *cpu, uint64_t addr);

const SocCommand *soc_command_table(void);   /* terminated by a NULL name */
const SocCommand *soc_command_find(const char *name);
/* Validate args against the command's table (anything but an object, unknown, missing and
 * mistyped arguments, and strings with a NUL inside are SOC_ERROR_USAGE errors naming the
 * command) and run it. args may be NULL (no arguments). *result (may be NULL) receives the
 * command's JSON result, or a null value; the caller frees it with soc_json_free. */
bool soc_command_execute(SocSession *s, const char *name, const SocJson *args, SocJson **result,
                         GError **err);

/* "2s", "10ms", "5us", "100ns", "42ps", "1.5s" -> picoseconds. */
bool soc_parse_duration(const char *text, SocTime *out, GError **err);

#endif
