/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every layer's internal header, for what stands above all three: the pool
 * backends (mempool_ext_backends.c) and the glue. A layer file includes
 * only its own internal header, which includes those of the layers below.
 */
#ifndef _MM_EXT_LAYERS_H
#define _MM_EXT_LAYERS_H

#include "buddy_sim_internal.h"
#include "slab_ext_internal.h"
#include "mempool_ext_internal.h"

#endif /* _MM_EXT_LAYERS_H */
