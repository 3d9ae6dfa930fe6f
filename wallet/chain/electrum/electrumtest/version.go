package electrumtest

import (
	"encoding/json"
	"strconv"
	"strings"
)

// version negotiates: the highest version both speak, or an error when none.
func (s *Server) version(req request) (response, bool) {
	resp := response{JSONRPC: "2.0", ID: req.ID}
	lo, hi := protocolMin, protocolMin
	if len(req.Params) > 1 {
		var one string
		var pair []string
		if json.Unmarshal(req.Params[1], &one) == nil {
			lo, hi = one, one
		} else if json.Unmarshal(req.Params[1], &pair) == nil && len(pair) == 2 {
			lo, hi = pair[0], pair[1]
		}
	}
	v := minVersion(hi, protocolMax)
	if less(v, maxVersion(lo, protocolMin)) {
		resp.Error = &rpcErr{1, "unsupported protocol version: " + hi}
		return resp, false
	}
	resp.Result = []string{ServerVersion, v}
	return resp, true
}

func versionParts(v string) []int {
	var out []int
	for _, p := range strings.Split(v, ".") {
		n, _ := strconv.Atoi(p)
		out = append(out, n)
	}
	return out
}

func less(a, b string) bool {
	x, y := versionParts(a), versionParts(b)
	for i := 0; i < max(len(x), len(y)); i++ {
		var p, q int
		if i < len(x) {
			p = x[i]
		}
		if i < len(y) {
			q = y[i]
		}
		if p != q {
			return p < q
		}
	}
	return false
}

func minVersion(a, b string) string {
	if less(a, b) {
		return a
	}
	return b
}

func maxVersion(a, b string) string {
	if less(a, b) {
		return b
	}
	return a
}
