/* SPDX-License-Identifier: GPL-2.0 */
/* Host shim: the events never print, so gfp flags need no names. */
#ifndef _HOST_TRACE_EVENTS_MMFLAGS_H
#define _HOST_TRACE_EVENTS_MMFLAGS_H
#define show_gfp_flags(flags) ""
#endif
