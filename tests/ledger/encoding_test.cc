// The canonical encodings: evidence leaves, signed tree head bytes and JSON, proof JSON. Each
// round-trips, is pinned to fixed bytes, and refuses truncated, trailing or wrongly typed input.

#include <gtest/gtest.h>

#include "pactum/ledger/evidence_leaf.h"
#include "pactum/ledger/proof_json.h"
#include "pactum/ledger/tree_head.h"

namespace pactum::ledger {
namespace {

EvidenceLeaf sample_leaf() {
  return EvidenceLeaf{.event_type = "contract.signed",
                      .contract_id_hash = contract_id_hash("ctr_123"),
                      .event_hash = sha256(as_bytes("event")),
                      .time_us = 1'780'000'000'123'456};
}

TEST(EvidenceLeaf, RoundTripsAndIsPinned) {
  const auto leaf = sample_leaf();
  auto bytes = encode_evidence_leaf(leaf);
  ASSERT_TRUE(bytes);
  EXPECT_EQ(bytes->size(), 10U + 15U + 64U);
  EXPECT_EQ(to_hex(ByteView(*bytes).first(10)), "01000652e68bb522400f");
  auto decoded = decode_evidence_leaf(*bytes);
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(*decoded, leaf);
  // The contract id is hashed with a prefix: not SHA-256 of the id alone.
  EXPECT_NE(contract_id_hash("ctr_123"), sha256(as_bytes("ctr_123")));
}

TEST(EvidenceLeaf, RefusesBadInput) {
  auto leaf = sample_leaf();
  leaf.event_type = "Signed";
  EXPECT_EQ(encode_evidence_leaf(leaf).error().code, ErrorCode::kInvalidArgument);
  leaf.event_type = "";
  EXPECT_FALSE(encode_evidence_leaf(leaf));
  leaf = sample_leaf();
  leaf.time_us = -1;
  EXPECT_FALSE(encode_evidence_leaf(leaf));

  const auto good = *encode_evidence_leaf(sample_leaf());
  for (std::size_t cut = 0; cut < good.size(); ++cut) {
    EXPECT_EQ(decode_evidence_leaf(ByteView(good).first(cut)).error().code, ErrorCode::kMalformed)
        << cut;
  }
  auto trailing = good;
  trailing.push_back(0);
  EXPECT_FALSE(decode_evidence_leaf(trailing));
  auto version = good;
  version[0] = 2;
  EXPECT_FALSE(decode_evidence_leaf(version));
  auto type = good;
  type[10] = 'A';
  EXPECT_FALSE(decode_evidence_leaf(type));
}

SignedTreeHead sample_head() {
  return SignedTreeHead{.head = {.size = 1234,
                                 .root_hash = sha256(as_bytes("root")),
                                 .timestamp_ms = 1'780'000'000'123},
                        .signature = {1, 2, 3},
                        .timestamp_token = {4, 5, 6, 7},
                        .certificates = {{8, 9}, {10}}};
}

TEST(TreeHead, SignedBytesArePinned) {
  const auto bytes = tree_head_signed_bytes(sample_head().head);
  ASSERT_EQ(bytes.size(), 75U);
  EXPECT_EQ(std::string(as_chars(ByteView(bytes).first(26))), "pactum-ledger-tree-head-v1");
  EXPECT_EQ(to_hex(ByteView(bytes).subspan(27, 16)), "00000000000004d20000019e7044887b");
}

TEST(TreeHead, JsonRoundTrips) {
  const auto head = sample_head();
  const auto json = signed_tree_head_json(head);
  EXPECT_NE(json.find("\"timestamp\":\"2026-05-28T20:26:40.123Z\""), std::string::npos) << json;
  auto parsed = parse_signed_tree_head(json);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(*parsed, head);
}

TEST(TreeHead, MalformedJsonNamesTheField) {
  const auto expect_field = [](const std::string& json, std::string_view field) {
    auto parsed = parse_signed_tree_head(json);
    ASSERT_FALSE(parsed) << json;
    EXPECT_EQ(parsed.error().code, ErrorCode::kMalformed);
    EXPECT_NE(parsed.error().message.find(field), std::string::npos) << parsed.error().message;
  };
  const std::string good = signed_tree_head_json(sample_head());
  expect_field("[]", "JSON object");
  expect_field("{", "JSON object");
  const auto replace = [&](std::string_view from, std::string_view to) {
    std::string out = good;
    out.replace(out.find(from), from.size(), to);
    return out;
  };
  expect_field(replace("\"size\":1234", "\"size\":-4"), "size");
  expect_field(replace("\"size\":1234", "\"size\":\"1234\""), "size");
  expect_field(replace("\"root_hash\":\"", "\"root_hash\":\"0"), "root_hash");
  expect_field(replace(".123Z", ".123+08:00"), "timestamp");
  expect_field(replace("2026-05-28", "2026-02-30"), "timestamp");
  expect_field(replace("\"signature\":\"AQID\"", "\"signature\":\"AQI\""), "signature");
  expect_field(replace("\"timestamp_token\":\"BAUGBw==\"", "\"timestamp_token\":\"\""),
               "timestamp_token");
  expect_field(replace("\"certificates\":[\"CAk=\",\"Cg==\"]", "\"certificates\":[]"),
               "certificates");
  expect_field(std::string(kMaxHeadJsonBytes + 1, ' '), "bytes");
}

TEST(ProofJson, RoundTripsAndRefusesBadInput) {
  InclusionProof inclusion{.leaf_index = 3,
                           .size = 9,
                           .leaf_hash = sha256(as_bytes("l")),
                           .proof = {sha256(as_bytes("a")), sha256(as_bytes("b"))}};
  auto parsed = parse_inclusion_proof(inclusion_proof_json(inclusion));
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->proof, inclusion.proof);
  EXPECT_EQ(parsed->leaf_hash, inclusion.leaf_hash);
  ConsistencyProof consistency{.from = 2, .to = 9, .proof = inclusion.proof};
  auto back = parse_consistency_proof(consistency_proof_json(consistency));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->proof, consistency.proof);
  EXPECT_EQ(back->to, 9U);

  EXPECT_FALSE(parse_consistency_proof(R"({"from":1,"to":2,"proof":["00"]})"));
  EXPECT_FALSE(parse_consistency_proof(R"({"from":1,"to":2,"proof":[1]})"));
  EXPECT_FALSE(parse_consistency_proof(R"({"from":1,"proof":[]})"));
  EXPECT_FALSE(parse_inclusion_proof(R"({"leaf_index":1,"size":2,"proof":[]})"));
  std::string many = R"({"from":1,"to":2,"proof":[)";
  for (int i = 0; i < 65; ++i) {
    many += (i ? "," : "") + std::string("\"") + hash_hex(Hash{}) + "\"";
  }
  many += "]}";
  EXPECT_FALSE(parse_consistency_proof(many));
}

}  // namespace
}  // namespace pactum::ledger
