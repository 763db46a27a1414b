/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host shim: trace events compile to nothing. Each TRACE_EVENT() or
 * DEFINE_EVENT() of a trace header (mm_ext_trace.h) becomes an empty
 * trace_<name>() and a trace_<name>_enabled() that says false, as a kernel
 * without the event enabled behaves; nothing is recorded. No host test
 * depends on the events (the guest test checks them: scripts/guest/trace.sh).
 */
#ifndef _HOST_LINUX_TRACEPOINT_H
#define _HOST_LINUX_TRACEPOINT_H

#define PARAMS(args...) args
#define TP_PROTO(args...) args
#define TP_ARGS(args...) args
#define TP_STRUCT__entry(args...) args
#define TP_fast_assign(args...) args
#define TP_printk(fmt, args...) fmt, args

#define TRACE_DEFINE_ENUM(a)

#define DECLARE_EVENT_CLASS(name, proto, args, tstruct, assign, print)

#define DEFINE_EVENT(template, name, proto, args)			\
	static inline void trace_##name(proto) { }			\
	static inline bool trace_##name##_enabled(void) { return false; }

#define TRACE_EVENT(name, proto, args, tstruct, assign, print)		\
	DEFINE_EVENT(name, name, PARAMS(proto), PARAMS(args))

#endif /* _HOST_LINUX_TRACEPOINT_H */
