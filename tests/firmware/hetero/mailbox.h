/* Shared definitions of the two-cluster ping-pong (tests/data/hetero-rv.dts): the MHU at
 * 0x11000000 in both clusters, low-priority channel; side A words go to cluster a, side B
 * words to cluster b. The shared SRAM's address differs per cluster (SHARED_BASE). */
#ifndef MAILBOX_H
#define MAILBOX_H
#include <stdint.h>

#define MHU ((volatile uint32_t *)0x11000000)
#define MHU_A_STAT (0x000 / 4)
#define MHU_A_SET (0x008 / 4)
#define MHU_A_CLEAR (0x010 / 4)
#define MHU_B_STAT (0x100 / 4)
#define MHU_B_SET (0x108 / 4)
#define MHU_B_CLEAR (0x110 / 4)
#define ROUNDS 20

#endif
