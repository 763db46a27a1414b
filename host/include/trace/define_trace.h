/* SPDX-License-Identifier: GPL-2.0 */
/* Host shim: no trace points are created (see <linux/tracepoint.h>). */
