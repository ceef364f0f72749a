// Which decoder prints each RTM_* message's payload (strace 6.1's choice of struct per type).
#include "netlink_route.h"

namespace ptk::sys::nl {
namespace {

// The index of RTM_* type t in the table.
constexpr std::size_t at(std::uint16_t t) { return t - 16u; }

std::array<RouteFn, kRouteTypes> make_table() {
  std::array<RouteFn, kRouteTypes> t{};
  auto set = [&t](std::initializer_list<std::uint16_t> types, RouteFn fn) {
    for (std::uint16_t type : types) t[at(type)] = fn;
  };
  // RTM_{NEW,DEL,GET}ADDR, RTM_GETMULTICAST, RTM_GETANYCAST
  set({20, 21, 22, 58, 62}, decode_ifaddrmsg);
  set({36, 37, 38, 40, 41, 42, 44, 45, 46}, decode_tcmsg);  // RTM_*{QDISC,TCLASS,TFILTER}
  set({100, 101, 102}, decode_tcmsg);                       // RTM_*CHAIN
  set({84, 85, 86}, decode_br_port_msg);                    // RTM_*MDB
  set({104, 105, 106}, decode_nhmsg);                       // RTM_*NEXTHOP
  set({96}, decode_cachereport);                            // RTM_NEWCACHEREPORT
  set({64, 66, 67}, decode_ndtmsg);                         // RTM_*NEIGHTBL
  set({32, 33, 34}, decode_fib_rule_hdr);                   // RTM_*RULE
  set({24, 25, 26}, decode_rtmsg);                          // RTM_*ROUTE
  set({16, 17, 18, 19}, decode_ifinfomsg);                  // RTM_*LINK
  set({28, 29, 30}, decode_ndmsg);                          // RTM_*NEIGH
  set({92, 94}, decode_ifstatsmsg);                         // RTM_NEWSTATS, RTM_GETSTATS
  set({48, 49, 50}, decode_tcamsg);                         // RTM_*ACTION
  set({72, 73, 74}, decode_ifaddrlblmsg);                   // RTM_*ADDRLABEL
  set({78, 79}, decode_dcbmsg);                             // RTM_GETDCB, RTM_SETDCB
  set({80, 81, 82}, decode_netconfmsg);                     // RTM_*NETCONF
  set({88, 89, 90}, decode_nsid);                           // RTM_*NSID
  return t;
}

}  // namespace

const std::array<RouteFn, kRouteTypes>& route_decoders() {
  static const std::array<RouteFn, kRouteTypes> table = make_table();
  return table;
}

}  // namespace ptk::sys::nl
