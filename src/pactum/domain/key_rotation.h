#pragma once

// Re-sealing personal data after a master-key rotation. Rows keep working throughout: a value
// names the master key that sealed it, a user's login index is always computed under the same
// key as its sealed login, and look-ups try the index under every key held
// (PiiCipher::blind_index_candidates). So a re-seal can stop anywhere (each batch is one
// transaction) and be run again; the old master key may be retired once count_personal_data_under
// says nothing is left under it.

#include <cstddef>
#include <functional>
#include <string_view>

#include "pactum/base/error.h"
#include "pactum/crypto/pii_cipher.h"
#include "pactum/store/database.h"

namespace pactum::domain {

// ResealProgress counts rows re-sealed so far (rows already under the current key are skipped
// and not counted).
struct ResealProgress {
  std::size_t users = 0;  // login, name and ID number re-sealed, login re-indexed
  std::size_t apps = 0;   // API app secrets re-sealed
  std::size_t batches = 0;
};

// AfterBatch is called after each committed batch; an error stops the re-seal there (it is
// returned), leaving every row readable and findable. Tests use it to stop midway.
using AfterBatch = std::function<Status(const ResealProgress&)>;

// reseal_personal_data re-encrypts every users and api_apps value not sealed under cipher's
// current key and re-computes the users' login index under it, batch_size rows (>= 1) per write
// transaction, walking each table in id order. A row changed by someone else meanwhile is left
// for the next run. Fails with the database's errors, kNotFound if a value's master key is not in
// cipher (already retired), kCrypto if a value does not authenticate, or AfterBatch's error.
Result<ResealProgress> reseal_personal_data(store::Database& database,
                                            const crypto::PiiCipher& cipher,
                                            std::size_t batch_size,
                                            const AfterBatch& after_batch = {});

// count_personal_data_under counts users and api_apps rows holding a value sealed under master
// key key_id (a users row counts once). Fails with the database's errors or kMalformed for a
// value that is not a sealed field.
Result<std::size_t> count_personal_data_under(store::Database& database,
                                              std::string_view key_id);

}  // namespace pactum::domain
