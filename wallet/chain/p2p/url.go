package p2p

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"

	"github.com/btcsuite/btcd/chaincfg/v2"

	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

// Scheme is the URL scheme of this backend.
const Scheme = "p2p"

// maxListedPeers bounds the peers one URL may name.
const maxListedPeers = 8

// target is what a p2p:// URL says: the peers to use (none: the network's DNS seeds) and the
// height the scan starts at.
type target struct {
	peers []string
	start int32
}

// parseURL reads p2p://HOST:PORT[,HOST:PORT...][?start=HEIGHT]. A host without a port gets
// the network's default port.
func parseURL(raw string, params *chaincfg.Params) (target, error) {
	fail := func(why string) (target, error) {
		return target{}, fmt.Errorf("%w: %q: %s", netutil.ErrBadURL, netutil.MaskURL(raw), why)
	}
	rest, ok := strings.CutPrefix(raw, Scheme+"://")
	if !ok {
		return fail("write p2p://HOST:PORT[,HOST:PORT...] or p2p:// for the DNS seeds")
	}
	hosts, query, _ := strings.Cut(rest, "?")
	hosts = strings.TrimSuffix(hosts, "/")
	if strings.ContainsAny(hosts, "/@#") {
		return fail("a p2p URL is only p2p://HOST:PORT[,HOST:PORT...][?start=HEIGHT]")
	}
	var t target
	q, err := url.ParseQuery(query)
	if err != nil {
		return fail("bad options after ?")
	}
	for k := range q {
		if k != "start" {
			return fail("unknown option " + k + " (only start=HEIGHT)")
		}
	}
	if s := q.Get("start"); s != "" {
		n, err := strconv.ParseInt(s, 10, 32)
		if err != nil || n < 0 {
			return fail("start must be a block height (a whole number, 0 or more)")
		}
		t.start = int32(n)
	}
	if hosts == "" {
		return t, nil
	}
	seen := map[string]bool{}
	for _, part := range strings.Split(hosts, ",") {
		if part == "" {
			return fail("an empty peer in the list")
		}
		addr := part
		host, port, err := net.SplitHostPort(part)
		if err != nil {
			if strings.Contains(part, ":") && !strings.HasPrefix(part, "[") {
				return fail("write an IPv6 peer as [ADDR]:PORT")
			}
			host, port = strings.Trim(part, "[]"), params.DefaultPort
			addr = net.JoinHostPort(host, port)
		}
		if host == "" {
			return fail("a peer without a host")
		}
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return fail("port out of range in " + part)
		}
		if !seen[addr] {
			seen[addr] = true
			t.peers = append(t.peers, addr)
		}
	}
	if len(t.peers) > maxListedPeers {
		return fail(fmt.Sprintf("at most %d peers", maxListedPeers))
	}
	return t, nil
}

// CheckURL checks a p2p:// URL's form without connecting (for config settings).
func CheckURL(raw string) error {
	_, err := parseURL(raw, &chaincfg.MainNetParams)
	return err
}
