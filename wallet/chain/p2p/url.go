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
	for i, part := range strings.Split(hosts, ",") {
		addr, why := peerAddr(part, params.DefaultPort)
		if why != "" {
			if part == "" {
				return fail(fmt.Sprintf("peer %d is empty: write HOST:PORT between the commas", i+1))
			}
			return fail(fmt.Sprintf("peer %d, %q: %s", i+1, part, why))
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

// peerAddr reads one peer of the list, HOST, HOST:PORT, [IPV6] or [IPV6]:PORT, into
// HOST:PORT (the network's port when none is given), or says what is wrong with it.
func peerAddr(part, defaultPort string) (addr, why string) {
	if part == "" {
		return "", "empty"
	}
	host, port := part, defaultPort
	if rest, ok := strings.CutPrefix(part, "["); ok {
		inside, after, closed := strings.Cut(rest, "]")
		switch {
		case !closed:
			return "", "the ] that closes an IPv6 address is missing: write [ADDR]:PORT"
		case after != "" && !strings.HasPrefix(after, ":"):
			return "", "write [ADDR]:PORT (only a port may follow the ])"
		case after != "":
			port = after[1:]
		}
		if ip := net.ParseIP(inside); ip == nil || ip.To4() != nil {
			return "", "not an IPv6 address between [ and ]"
		}
		host = inside
	} else {
		switch strings.Count(part, ":") {
		case 0:
		case 1:
			host, port, _ = strings.Cut(part, ":")
		default:
			return "", "write an IPv6 peer as [ADDR]:PORT"
		}
		if host == "" {
			return "", "no host before the port: write HOST:PORT"
		}
		if strings.ContainsFunc(host, func(r rune) bool {
			return !(r == '.' || r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
		}) {
			return "", "a host is a name or an IP address (letters, digits, dots and hyphens)"
		}
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 || strconv.Itoa(n) != port {
		return "", "the port must be a number from 1 to 65,535"
	}
	return net.JoinHostPort(host, port), ""
}

// CheckURL checks a p2p:// URL's form without connecting (for config settings).
func CheckURL(raw string) error {
	_, err := parseURL(raw, &chaincfg.MainNetParams)
	return err
}
