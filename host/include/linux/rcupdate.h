/* SPDX-License-Identifier: GPL-2.0 */
/* The host shim: everything is in host_shim.h. */
#ifndef _HOST_LINUX_RCUPDATE_H
#define _HOST_LINUX_RCUPDATE_H
#include <linux/host_shim.h>
#endif
