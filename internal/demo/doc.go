// Package demo holds what the example programs share, so that each
// program shows only what is particular to its systems:
//
//   - demo data for the fake servers (SeedShop, SeedBooks, SeedPOS) and
//     Fakes, the fake systems of a program's -demo mode;
//   - Pair, which builds the product, customer, order and stock flows from a
//     shop to a sink, with the adjustments each pair needs (ShopToBooks,
//     ShopToPOS, POSAxes; PairConfig.ForSink sets them), and
//     mapping overrides loaded from one JSON file per client (LoadMappings);
//   - Job and Session, which run or plan flows with a readable activity log
//     (personal data masked), field diffs and a summary table;
//   - Flags and Settings, the command line of the CCV Shop pair programs:
//     every flag also readable from an environment variable (the flag wins),
//     credentials as connector.Secret that no usage text or error shows,
//     and RunPair, the body of such a program once its flags are parsed.
package demo
