/* core/main.c — the command-line front end (being written). */
#include "config.h"
int main(void) { return 0; }
