//===- JsonTest.cpp - The manifest's JSON parser --------------------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#include "ToyModel.h"

#include "format/json.h"

#include <random>

namespace anima::test {
namespace {

using rt::JsonValue;

/// Parses `text`, expecting success.
JsonValue parseOk(const std::string &text) {
  JsonValue value;
  std::string error;
  EXPECT_TRUE(rt::parseJson(text, &value, &error)) << text << ": " << error;
  return value;
}

TEST(JsonTest, ParsesEveryKind) {
  JsonValue v = parseOk(R"( {"a": [1, -2, 3.5, 1e2, true, false, null],
                              "b": {"c": "d"}, "e": []} )");
  ASSERT_TRUE(v.isObject());
  const JsonValue *a = v.get("a");
  ASSERT_TRUE(a && a->isArray());
  ASSERT_EQ(a->items.size(), 7u);
  EXPECT_TRUE(a->items[0].isInteger());
  EXPECT_EQ(a->items[0].integer, 1);
  EXPECT_EQ(a->items[1].integer, -2);
  EXPECT_EQ(a->items[2].kind, JsonValue::Kind::Number);
  EXPECT_EQ(a->items[2].number, 3.5);
  EXPECT_EQ(a->items[3].kind, JsonValue::Kind::Number);
  EXPECT_EQ(a->items[3].number, 100.0);
  EXPECT_TRUE(a->items[4].boolean);
  EXPECT_EQ(a->items[5].kind, JsonValue::Kind::Bool);
  EXPECT_EQ(a->items[6].kind, JsonValue::Kind::Null);
  EXPECT_EQ(v.get("b")->get("c")->string, "d");
  EXPECT_TRUE(v.get("e")->items.empty());
  EXPECT_EQ(v.get("missing"), nullptr);
}

TEST(JsonTest, DecodesEscapes) {
  JsonValue v = parseOk(R"("q\"b\\s\/\b\f\n\r\t\u00e9\u20ac\ud83d\ude00")");
  EXPECT_EQ(v.string, "q\"b\\s/\b\f\n\r\t\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
  EXPECT_EQ(parseOk("\"caf\xc3\xa9\"").string, "caf\xc3\xa9");
}

TEST(JsonTest, IntegersOutsideInt64AreNumbers) {
  EXPECT_TRUE(parseOk("9223372036854775807").isInteger());
  JsonValue big = parseOk("9223372036854775808");
  EXPECT_EQ(big.kind, JsonValue::Kind::Number);
  EXPECT_TRUE(parseOk("-9223372036854775808").isInteger());
}

TEST(JsonTest, RejectsMalformedInput) {
  const char *cases[] = {
      "",
      "   ",
      "{",
      "}",
      "[1,]",
      "[1 2]",
      "{\"a\":}",
      "{\"a\" 1}",
      "{\"a\":1,}",
      "{a:1}",
      "{1:1}",
      "tru",
      "nul",
      "01",
      "-",
      "1.",
      ".5",
      "1e",
      "1e+",
      "+1",
      "1e999",
      "\"abc",
      "\"\\x\"",
      "\"\\u12\"",
      "\"\\u12g4\"",
      "\"\\ud800\"",
      "\"\\udc00\"",
      "\"\\ud800\\u0041\"",
      "\"a\nb\"",
      "\"\xff\"",
      "\"\xc3\"",
      "\"\xc0\xaf\"",
      "\"\xed\xa0\x80\"",
      "[1]]",
      "{}{}",
      "{\"a\":1,\"a\":2}",
      "[\"a\",]",
      "NaN",
      "Infinity",
      "'a'",
  };
  for (const char *text : cases) {
    JsonValue v;
    std::string error;
    EXPECT_FALSE(rt::parseJson(text, &v, &error)) << "accepted: " << text;
    EXPECT_NE(error.find("line 1"), std::string::npos)
        << text << " -> " << error;
  }
}

TEST(JsonTest, ReportsLineAndColumn) {
  JsonValue v;
  std::string error;
  EXPECT_FALSE(rt::parseJson("{\n  \"a\": 1\n  \"b\": 2}", &v, &error));
  EXPECT_NE(error.find("line 3, column 3"), std::string::npos) << error;
}

TEST(JsonTest, EnforcesLimits) {
  JsonValue v;
  std::string error;
  std::string deep(100000, '[');
  EXPECT_FALSE(rt::parseJson(deep, &v, &error));
  EXPECT_NE(error.find("nesting"), std::string::npos) << error;
  std::string ok = std::string(60, '[') + std::string(60, ']');
  EXPECT_TRUE(rt::parseJson(ok, &v, &error)) << error;
  rt::JsonLimits small;
  small.maxBytes = 10;
  EXPECT_FALSE(rt::parseJson("[1, 2, 3, 4, 5]", &v, &error, small));
  EXPECT_NE(error.find("exceeds"), std::string::npos) << error;
  rt::JsonLimits few;
  few.maxValues = 3;
  EXPECT_FALSE(rt::parseJson("[1, 2, 3]", &v, &error, few));
}

TEST(JsonTest, RandomMutationsNeverCrash) {
  std::string base = toyManifest();
  std::mt19937 rng(1234);
  const char alphabet[] = "{}[]\":,\\0123456789.eE+-tfnu \n\x80\xff";
  int accepted = 0;
  for (int iteration = 0; iteration < 3000; ++iteration) {
    std::string text = base;
    int edits = 1 + int(rng() % 4);
    for (int e = 0; e < edits; ++e) {
      size_t at = rng() % text.size();
      switch (rng() % 3) {
      case 0:
        text[at] = alphabet[rng() % (sizeof(alphabet) - 1)];
        break;
      case 1:
        text.erase(at, 1 + rng() % 8);
        break;
      default:
        text.insert(at, 1, alphabet[rng() % (sizeof(alphabet) - 1)]);
      }
      if (text.empty())
        text = "x";
    }
    JsonValue v;
    std::string error;
    if (rt::parseJson(text, &v, &error))
      ++accepted;
    else
      EXPECT_FALSE(error.empty());
  }
  EXPECT_LT(accepted, 3000);
}

} // namespace
} // namespace anima::test
