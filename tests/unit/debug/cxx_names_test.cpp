// How ptk shows and matches C++ names: demangled, without parameter lists, qualifiers, ABI tags
// or a template's return type.
#include <gtest/gtest.h>

#include "ptk/debug/symbols.h"

namespace ptk::debug {
namespace {

TEST(CxxNames, BaseNameDropsWhatAUserDoesNotType) {
  EXPECT_EQ(cxx_base_name("ns::f(int)"), "ns::f");
  EXPECT_EQ(cxx_base_name("ns::C::get() const"), "ns::C::get");
  EXPECT_EQ(cxx_base_name("ns::f[abi:cxx11](int)"), "ns::f");
  EXPECT_EQ(cxx_base_name("main"), "main");
  EXPECT_EQ(cxx_base_name("std::basic_ostream<char, std::char_traits<char> >& "
                          "std::endl<char, std::char_traits<char> >(std::basic_ostream<char, "
                          "std::char_traits<char> >&)"),
            "std::endl<char, std::char_traits<char> >");
  EXPECT_EQ(cxx_base_name("operator new(unsigned long)"), "operator new");
  EXPECT_EQ(cxx_base_name("operator delete(void*, unsigned long)"), "operator delete");
  EXPECT_EQ(cxx_base_name("(anonymous namespace)::helper(int)"), "(anonymous namespace)::helper");
}

TEST(CxxNames, ShortNameDemanglesOnlyCxxNames) {
  EXPECT_EQ(short_name("_Znwm"), "operator new");
  EXPECT_EQ(short_name("_ZNSt8ios_base4InitC1Ev"), "std::ios_base::Init::Init");
  EXPECT_EQ(short_name("puts"), "puts");
  EXPECT_EQ(short_name("_Znot_a_name"), "_Znot_a_name");
}

}  // namespace
}  // namespace ptk::debug
