package btcd_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestSatchelLinksNoRPCClient keeps btcd's rpcclient and btcjson out of the satchel binary:
// btcjson registers every RPC command by reflection at initialisation, which every satchel
// start paid for (0.5 to 1.5 ms), offline commands included. Tests may still use them.
func TestSatchelLinksNoRPCClient(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	out, err := exec.Command(goTool, "list", "-deps", "github.com/satchel-wallet/satchel/cmd/satchel").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if strings.HasPrefix(pkg, "github.com/btcsuite/btcd/btcjson") ||
			strings.HasPrefix(pkg, "github.com/btcsuite/btcd/rpcclient") {
			t.Errorf("cmd/satchel links %s", pkg)
		}
	}
}
