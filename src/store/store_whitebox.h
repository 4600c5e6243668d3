/* store_whitebox.h: the store's internals for white-box tests and benchmarks ONLY (they build old
 * schema layouts with the codecs and use the file helpers). No file of src/ includes it: the
 * store's own files include the one layer header they need (store.md, "Layers"), and every
 * other module uses store.h. */
#ifndef VIVA_STORE_WHITEBOX_H
#define VIVA_STORE_WHITEBOX_H

#include "store_codec.h"
#include "store_os.h"
#include "store_rec.h"
#include "store_responses.h"
#include "store_reviews.h"
#include "store_txn.h"
#include "verr.h"

#endif
