package main

import (
	"os"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/satchel-wallet/satchel/internal/regtest"
	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/bip353/bip353test"
)

// A BIP353 name signed in the test hierarchy pays its address; an unsigned answer, one
// signed by the wrong key, or one under another trust anchor is refused and nothing is sent.
func TestIntegrationBIP353(t *testing.T) {
	c, n := nodeCLI(t)
	s := bip353test.Start(t, c.now)
	c.dnsAnchors = []string{s.Anchor}
	c.env["SATCHEL_DNS_RESOLVER"] = s.Addr
	c.mustRun("", "create", "--wallet", "a")
	c.fund(n, "a", 100_000)
	dest := regtest.NewKey("alice", txbuilder.P2WPKH).Address
	q := func(user string) string { return user + ".user._bitcoin-payment.example.test." }
	ex := "example.test."
	s.PutSigned(ex, bip353test.TXT(q("alice"), "bitcoin:"+dest+"?label=alice%27s%20tips&message=thanks"))
	s.Put(bip353test.TXT(q("mallory"), "bitcoin:"+dest))
	wrong := []dns.RR{bip353test.TXT(q("eve"), "bitcoin:"+dest)}
	s.Put(wrong[0], s.Sign(bip353test.NewKey(t, ex), wrong, nil))
	s.PutSigned(ex, bip353test.TXT(q("ln"), "bitcoin:?lno=lno1qsgqmqvgm96frzdg8m0gc6nzeqffvzsqzrxqy32afmr3jn9ggkwg3egfwch2hy0l6jut6vfd8vdsfqfuc"))

	for _, tc := range []struct {
		user string
		code int
		msg  string
	}{
		{"mallory", exitBackend, "not signed"},
		{"eve", exitBackend, "no key of example.test."},
		{"nobody", exitBackend, "does not exist"},
		{"ln", exitUsage, "only lightning"},
	} {
		t.Run(tc.user, func(t *testing.T) {
			r := c.run("", "send", "₿"+tc.user+"@example.test", "2100", "--fee-rate", "2", "--yes", "--wallet", "a")
			if r.code != tc.code || !contains(r.err, tc.msg) {
				t.Fatalf("exit %d (%s), want %d saying %q", r.code, r.err, tc.code, tc.msg)
			}
			if len(n.MempoolTxIDs(t)) != 0 {
				t.Fatal("a refused name was paid")
			}
		})
	}
	// Under the real root's anchor the test zones prove nothing.
	c.dnsAnchors = nil
	if r := c.run("", "send", "alice@example.test", "2100", "--fee-rate", "2", "--yes", "--wallet", "a"); r.code != exitBackend {
		t.Fatalf("resolved under the wrong trust anchor: exit %d %s", r.code, r.err)
	}
	c.dnsAnchors = []string{s.Anchor}

	r := c.run("", "send", "₿alice@example.test", "2100", "--fee-rate", "2", "--yes", "--json", "--wallet", "a")
	if r.code != 0 {
		t.Fatalf("send to a signed name: %s", r.err)
	}
	p := decodeJSON[planJSON](t, r.out)
	if len(p.Names) != 1 || p.Names[0].Name != "₿alice@example.test" || p.Names[0].Label != "alice's tips" || p.Names[0].Message != "thanks" {
		t.Fatalf("plan names %+v", p.Names)
	}
	paid := false
	for _, o := range p.Outputs {
		if o.Address == dest && o.Value == 2100 && o.Label == "alice's tips" {
			paid = true
		}
	}
	if !paid || len(n.MempoolTxIDs(t)) != 1 {
		t.Fatalf("outputs %+v", p.Outputs)
	}
	// Batch files take names too.
	batch := c.home + "/batch.csv"
	if err := os.WriteFile(batch, []byte("₿alice@example.test,4000\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if p := decodeJSON[planJSON](t, c.mustRun("", "send", "--batch", batch, "--fee-rate", "2", "--dry-run", "--json", "--wallet", "a").out); len(p.Names) != 1 || p.Outputs[0].Address != dest && p.Outputs[1].Address != dest {
		t.Fatalf("batch with a name: %+v", p)
	}
	// The text plan names it too; --to takes names.
	r = c.mustRun("", "send", "--to", "alice@example.test=3000", "--fee-rate", "2", "--dry-run", "--wallet", "a")
	if !contains(r.out, "name     ₿alice@example.test = bitcoin:"+dest) {
		t.Fatalf("text plan: %s", r.out)
	}

	// A recurring tip to the name resolves it again each time occurrences are queued.
	sch := decodeJSON[scheduleJSON](t, c.mustRun("", "tip", "schedule", "alice@example.test", "1500", "--every", "1d", "--json", "--wallet", "a").out)
	if sch.Name != "₿alice@example.test" || sch.Address != dest || len(sch.Queued) != 1 {
		t.Fatalf("schedule %+v", sch)
	}
	moved := regtest.NewKey("alice2", txbuilder.P2TR).Address
	s.Delete(q("alice"), dns.TypeTXT)
	s.PutSigned(ex, bip353test.TXT(q("alice"), "bitcoin:"+moved))
	c.now = c.now.Add(24 * time.Hour)
	s.Now = c.now
	tips := decodeJSON[[]tipJSON](t, c.mustRun("", "tip", "list", "--json", "--wallet", "a").out)
	if len(tips) != 2 || tips[1].Address != moved {
		t.Fatalf("after the name moved: %+v", tips)
	}
	// Unsigned now: the day's occurrence waits instead of going to an unproven address.
	s.Delete(q("alice"), dns.TypeTXT)
	s.Put(bip353test.TXT(q("alice"), "bitcoin:"+dest))
	c.now = c.now.Add(24 * time.Hour)
	r = c.mustRun("", "tip", "list", "--json", "--wallet", "a")
	if len(decodeJSON[[]tipJSON](t, r.out)) != 2 || !contains(r.err, "schedule_not_queued") || !contains(r.err, "not signed") {
		t.Fatalf("an unsigned answer queued a tip: %s / %s", r.out, r.err)
	}
}
