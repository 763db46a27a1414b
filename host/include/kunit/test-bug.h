/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HOST_KUNIT_TEST_BUG_H
#define _HOST_KUNIT_TEST_BUG_H
#include <kunit/test.h>
#endif
