package address

import "github.com/btcsuite/btcd/chaincfg/v2"

// Networks maps the network names satchel accepts (in config files and --network) to their
// parameters: mainnet, testnet (testnet3), testnet4, signet and regtest. chaincfg/v2 provides
// all five, TestNet4Params included. The map is new on each call, so callers may change it.
func Networks() map[string]*chaincfg.Params {
	return map[string]*chaincfg.Params{
		"mainnet":  &chaincfg.MainNetParams,
		"testnet":  &chaincfg.TestNet3Params,
		"testnet4": &chaincfg.TestNet4Params,
		"signet":   &chaincfg.SigNetParams,
		"regtest":  &chaincfg.RegressionNetParams,
	}
}

// NetworkName is the name Networks uses for net ("testnet" for testnet3), or net.Name for a
// network satchel does not list.
func NetworkName(net *chaincfg.Params) string {
	for name, p := range Networks() {
		if p == net || (p.Net == net.Net && p.Name == net.Name) {
			return name
		}
	}
	return net.Name
}

// isMainnet reports whether net is Bitcoin mainnet.
func isMainnet(net *chaincfg.Params) bool { return net.Net == chaincfg.MainNetParams.Net }
