#pragma once

// Master-key rotation of a data directory, as `pactum keys` runs it:
//   rotate_master_key   adds a fresh master key that becomes current (master.key rewritten
//                       atomically); everything sealed before still opens under the old key;
//   reseal_data_dir     moves everything onto the current key: personal data re-encrypted and
//                       users re-indexed in batches (domain/key_rotation.h), documents' data keys
//                       rewrapped (store), the CA and TSA key files re-sealed. Safe to stop
//                       anywhere and run again;
//   retire_master_keys  removes every older key with nothing left under it, refusing (and saying
//                       what remains) otherwise, so a retire never makes a record unreadable.
// The three steps that change anything take DIR/keys.lock (kRefused while another holds it), so
// `pactum keys` commands on one directory never interleave. A running pactumd follows
// master.key by itself (domain::ReloadingPiiCipher): it seals under the newest current key and
// opens what was re-sealed; a row it sealed under an older key just before a rotation is counted
// by the retire's check and moved by the next reseal.

#include <cstddef>
#include <string>
#include <vector>

#include "pactum/base/error.h"
#include "pactum/domain/key_rotation.h"

namespace pactum::node {

// KeyUsage says what is still sealed under one master key of a data directory.
struct KeyUsage {
  std::string key_id;
  bool current = false;
  std::size_t personal_rows = 0;  // users and API apps rows
  std::size_t blob_keys = 0;      // documents' data keys
  std::size_t pki_keys = 0;       // CA and TSA key files
  [[nodiscard]] std::size_t total() const { return personal_rows + blob_keys + pki_keys; }
};

// master_key_usage returns one KeyUsage per master key held, oldest first. Fails like
// DataDir::open's parts (config, keyring, database) or kMalformed for a sealed value or key file
// that does not parse.
Result<std::vector<KeyUsage>> master_key_usage(const std::string& dir);

// rotate_master_key adds a fresh current master key to DIR/master.key and returns its id.
Result<std::string> rotate_master_key(const std::string& dir);

// ResealReport counts what reseal_data_dir moved onto the current key.
struct ResealReport {
  domain::ResealProgress personal;
  std::size_t blob_keys = 0;
  std::size_t pki_keys = 0;
};

// reseal_data_dir re-seals everything in DIR not under the current master key, batch_size
// personal-data rows per transaction; after_batch as in domain::reseal_personal_data (an error
// from it stops the run, leaving everything readable). Fails with the first error met.
Result<ResealReport> reseal_data_dir(const std::string& dir, std::size_t batch_size,
                                     const domain::AfterBatch& after_batch = {});

// retire_master_keys retires every non-current master key with nothing sealed under it and
// returns their ids. kConflict (nothing retired) if anything is still sealed under an older key,
// the message saying how much and that `pactum keys reseal` comes first.
Result<std::vector<std::string>> retire_master_keys(const std::string& dir);

}  // namespace pactum::node
