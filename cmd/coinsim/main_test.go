package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const tiny = "../../testdata/sim/tiny.csv"

func runCLI(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	c := newCommand(&out)
	c.SetArgs(args)
	c.SetErr(&bytes.Buffer{})
	err := c.Execute()
	return out.String(), err
}

func TestJSONLinePerScenarioAndPolicy(t *testing.T) {
	out, err := runCLI(t, tiny, "--json", "--runs", "2", "--jobs", "2")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines:\n%s", len(lines), out)
	}
	// The figures of TestRunTinyScenarioByHand in txbuilder/sim.
	want := map[string]float64{"core": 3_780, "satchel": 4_462, "satchel-merge": 3_850}
	empty := map[string]float64{"core": 680, "satchel": 1_360, "satchel-merge": 680}
	revealed := map[string]float64{"core": 0, "satchel": 0, "satchel-merge": 1.0 / 3}
	for _, l := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"scenario", "policy", "type", "runs", "payments", "refused", "total_fees_sat",
			"cost_to_empty_sat", "total_cost_sat", "utxos_end", "changeless", "mean_inputs", "consolidation_fees_sat",
			"consolidations", "revealed_per_payment"} {
			if _, ok := m[k]; !ok {
				t.Fatalf("no %s in %s", k, l)
			}
		}
		pol := m["policy"].(string)
		if m["scenario"] != "tiny" || m["type"] != "wpkh" || m["runs"] != 2.0 || m["payments"] != 3.0 ||
			m["refused"] != 2.0 || m["cost_to_empty_sat"] != empty[pol] || m["total_cost_sat"] != want[pol] ||
			m["revealed_per_payment"] != revealed[pol] {
			t.Fatalf("%s", l)
		}
	}
}

func TestTableAndSplitFiles(t *testing.T) {
	dir := t.TempDir()
	pay := filepath.Join(dir, "pay.csv")
	rates := filepath.Join(dir, "rates.csv")
	if err := os.WriteFile(pay, []byte("0.001\n-0.0001\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(rates, []byte("\ufeff0.00001000\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := runCLI(t, pay, "--feerates", rates, "--policy", "core", "--type", "tr")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out, "pay_rates (tr, 2 ops, 1 run(s), seed 1;") || !strings.Contains(out, "\ncore ") ||
		strings.Contains(out, "satchel") {
		t.Fatalf("table:\n%s", out)
	}
}

func TestCommandLineMistakes(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	if err := os.WriteFile(bad, []byte("0.1,0\n-0.1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args  []string
		usage bool
		want  string
	}{
		{[]string{tiny, "--policy", "greedy"}, true, `--policy "greedy"`},
		{[]string{tiny, "--type", "pkh"}, true, `--type "pkh"`},
		{[]string{tiny, "--runs", "0"}, true, "--runs"},
		{[]string{tiny, "--discard-feerate", "x"}, true, "--discard-feerate"},
		{[]string{bad}, false, bad + ":2:"},
		{[]string{filepath.Join(dir, "missing.csv")}, false, "missing.csv"},
	}
	for _, tc := range tests {
		_, err := runCLI(t, tc.args...)
		var u usageError
		if err == nil || errors.As(err, &u) != tc.usage || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: err %v (usage %v), want %q", tc.args, err, errors.As(err, &u), tc.want)
		}
	}
}
