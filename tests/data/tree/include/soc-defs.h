/* tests/data/tree/include/soc-defs.h — constants shared by the tree test sources (cpp). */
#define UART0_BASE 0x1000
#define UART0_SIZE 0x100
#define SOC_CLOCK 50000000
