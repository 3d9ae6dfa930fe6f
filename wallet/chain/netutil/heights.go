package netutil

import "github.com/satchel-wallet/satchel/wallet/chain"

// HighestAbove returns the history item confirmed highest, and whether it lies above tip: a
// server's histories must never claim a block it has not announced.
func HighestAbove(hists [][]chain.HistoryItem, tip int32) (chain.HistoryItem, bool) {
	var top chain.HistoryItem
	for _, h := range hists {
		for _, it := range h {
			if it.Height > top.Height {
				top = it
			}
		}
	}
	return top, top.Height > tip
}
