/* Links the microkernel archive into a shared library with the C linker and
 * --no-undefined, like a compiled model: fails to link if the kernels need
 * anything beyond libc/libm (libstdc++, the C++ ABI runtime, unwinder). */
#include "anima/abi.h"

uint32_t anima_linkcheck_abi_version(void) { return ANIMA_ABI_VERSION; }
