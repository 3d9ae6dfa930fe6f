package main

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Human output of balance, history and utxos. The --json forms are printed by the commands
// themselves and never change with --unit, --utc or the terminal.

func (a *App) printBalance(b balanceJSON) error {
	t := newTable()
	t.alignRight(1)
	unconf := stylePlain
	if b.Unconfirmed != 0 {
		unconf = styleDim
	}
	t.add(txt("confirmed"), txt(a.fmtAmount(b.Confirmed)))
	t.add(txt("unconfirmed"), txt(a.fmtAmount(b.Unconfirmed)).in(unconf))
	t.add(txt("immature"), txt(a.fmtAmount(b.Immature)).in(styleDim))
	t.add(txt("spendable"), txt(a.fmtAmount(b.Spendable)).in(styleBold))
	if b.FiatText != "" {
		t.add(txt("worth"), txt(b.FiatText))
	}
	if err := t.write(a); err != nil {
		return err
	}
	if b.SyncedHeight != nil {
		_, err := fmt.Fprintf(a.Out, "as of height %d (%s %s)\n", *b.SyncedHeight, a.fmtTime(*b.SyncedAt), b.SyncedAt.In(a.loc()).Format("MST"))
		return err
	}
	_, err := fmt.Fprintln(a.Out, "never synced")
	return err
}

// printHistory shows transactions in a table: incoming amounts green, outgoing red, pending
// rows dim, replaced and conflicted ones (which no longer count) dim throughout.
// On a terminal too narrow for the whole table, unless wide, it fits the terminal's width:
// short txids, times to the minute, labels cut.
func (a *App) printHistory(rows []historyJSON, wide bool) error {
	if len(rows) == 0 {
		_, err := fmt.Fprintln(a.Out, emptyHistory)
		return err
	}
	if !a.OutTerm || wide {
		return a.historyTable(rows, 0, 0).write(a)
	}
	width := a.OutWidth
	if width <= 0 {
		width = 80
	}
	var full bytes.Buffer
	color := a.colorAllowed(a.OutTerm)
	if err := a.historyTable(rows, 0, 0).render(&full, false); err != nil {
		return err
	}
	if maxLineWidth(full.String()) <= width {
		return a.historyTable(rows, 0, 0).render(a.Out, color)
	}
	// Narrower and narrower until it fits: short txids, times to the minute and the label cut;
	// then the unit said once in the header instead of on every amount (large amounts, years of
	// confirmations); at last no label. Only amounts too large to exist stay wider.
	var t *table
	for compact := 0; compact <= 2; compact++ {
		t = a.historyTable(rows, width, compact)
		var b bytes.Buffer
		if err := t.render(&b, false); err != nil {
			return err
		}
		if maxLineWidth(b.String()) <= width {
			break
		}
	}
	return t.render(a.Out, color)
}

// maxLineWidth is the widest line of s, in runes.
func maxLineWidth(s string) int {
	n := 0
	for _, l := range strings.Split(s, "\n") {
		n = max(n, utf8.RuneCountInString(l))
	}
	return n
}

// historyTable lays history out; a width above 0 makes the narrow form that fits it, cutting
// the label (the last column). compact 1 also writes the unit once in the amount headers;
// compact 2 also leaves the label out.
func (a *App) historyTable(rows []historyJSON, width, compact int) *table {
	t, cells := a.historyLayout(rows[0].FiatText != "", width, compact)
	for _, h := range rows {
		t.add(cells(h)...)
	}
	return t
}

// streamHistory prints history to a pipe, a file or with --wide in two passes over the store,
// one measuring the columns and one printing, so that a wallet's whole history is never held
// (100,000 rows: 0.75 s and 186 MiB held, BENCHMARKS.md "Offline reads"). each calls fn with
// every row, in order. It returns how many rows it printed; with none it prints nothing.
func (a *App) streamHistory(each func(fn func(historyJSON) error) error) (int, error) {
	var t *table
	var cells func(historyJSON) []cell
	rows := 0
	if err := each(func(h historyJSON) error {
		if t == nil {
			t, cells = a.historyLayout(h.FiatText != "", 0, 0)
		}
		t.measure(cells(h))
		rows++
		return nil
	}); err != nil || rows == 0 {
		return 0, err
	}
	return rows, t.stream(a.Out, a.colorAllowed(a.OutTerm), func(emit func([]cell) error) error {
		return each(func(h historyJSON) error { return emit(cells(h)) })
	})
}

// historyLayout is historyTable's header and the cells of one row, for a table that is
// streamed rather than held (see streamHistory). fiatCol adds the value column (config fiat).
func (a *App) historyLayout(fiatCol bool, width, compact int) (*table, func(historyJSON) []cell) {
	narrow := width > 0
	amountHead, feeHead := "AMOUNT", "FEE"
	unit := func(s string) string { return s }
	if compact >= 1 {
		name := "sat"
		if a.flags.unit == "btc" {
			name = "BTC"
		}
		amountHead, feeHead = "AMOUNT ("+name+")", "FEE ("+name+")"
		unit = func(s string) string { return strings.TrimSuffix(s, " "+name) }
	}
	cols := []string{"TIME (" + a.zoneName() + ")", amountHead, feeHead, "STATUS", "CONF", "TXID"}
	if fiatCol {
		// Before the label, so that the label is the column a narrow table cuts.
		cols = append(cols, "VALUE")
	}
	if compact < 2 {
		cols = append(cols, "LABEL")
	}
	t := newTable(cols...)
	t.alignRight(1, 2, 4)
	if compact < 2 {
		// Only a label is cut to fit: without one the last column is the short txid or the
		// fiat value, which a cut would make useless (9e51f…) or misread; the line runs over.
		t.maxWidth = width
	}
	return t, func(h historyJSON) []cell {
		ts, fee := "", ""
		if h.Time != nil {
			ts = a.fmtTime(*h.Time)
			if narrow {
				ts = ts[:len(ts)-3] // no seconds
			}
		}
		if h.Fee != nil {
			fee = unit(a.fmtAmount(*h.Fee))
		}
		amt := stylePlain
		switch {
		case h.Amount > 0:
			amt = styleIn
		case h.Amount < 0:
			amt = styleOut
		}
		row := stylePlain
		status := h.Status
		switch h.Status {
		case "pending":
			row = styleDim
		case "replaced", "conflicted":
			row, amt = styleDim, styleDim
		}
		if h.Immature {
			// Mined coins: counted in the balance only once they can be spent.
			status, row, amt = "immature", styleDim, styleDim
		}
		id := h.TxID
		if narrow && len(id) > shortTxID {
			id = id[:shortTxID]
		}
		cells := []cell{txt(ts).in(row), txt(unit(a.fmtSignedAmount(h.Amount))).in(amt), txt(fee).in(row), txt(status).in(row),
			txt(groupDigits(int64(h.Confirmations))).in(row), txt(id)}
		if fiatCol {
			cells = append(cells, txt(h.FiatText))
		}
		if compact < 2 {
			cells = append(cells, txt(h.Label))
		}
		return cells
	}
}

// shortTxID is how many hex digits of a txid a terminal table shows, as git shortens commit
// ids: enough to tell a wallet's transactions apart and to find one in a block explorer.
const shortTxID = 10

// printUtxos shows coins in a table; a coin that costs more to spend than it holds is marked !,
// frozen coins are dim, unconfirmed ones have a dim 0.
func (a *App) printUtxos(coins []utxoJSON) error {
	if len(coins) == 0 {
		_, err := fmt.Fprintln(a.Out, emptyCoins)
		return err
	}
	cols := []string{"OUTPOINT", "VALUE", "CONF", "SPEND COST", "STATE", "ADDRESS", "LABEL"}
	fiatCol := coins[0].FiatText != ""
	if fiatCol {
		cols = append(cols, "WORTH")
	}
	t := newTable(cols...)
	t.alignRight(1, 2, 3)
	marked := false
	for _, j := range coins {
		// A one-character marker after every cost keeps the numbers aligned.
		cost := txt("- ").in(styleDim)
		if j.SpendCost != nil {
			cost = txt(a.fmtAmount(*j.SpendCost) + " ")
			if !*j.Economical {
				cost = txt(a.fmtAmount(*j.SpendCost) + "!").in(styleWarn)
				marked = true
			}
		}
		row, frozen := stylePlain, ""
		if j.Frozen {
			row, frozen = styleDim, "frozen"
		}
		if j.Immature {
			// A young coinbase: the STATE column says from which height it can be spent.
			row, frozen = styleDim, fmt.Sprintf("immature until height %d", *j.MatureHeight)
		}
		conf := txt(groupDigits(int64(j.Confirmations))).in(row)
		if j.Confirmations == 0 {
			conf = conf.in(styleDim)
		}
		cells := []cell{txt(j.OutPoint).in(row), txt(a.fmtAmount(j.Value)).in(row), conf, cost, txt(frozen).in(row),
			txt(j.Address).in(row), txt(j.Label).in(row)}
		if fiatCol {
			cells = append(cells, txt(j.FiatText).in(row))
		}
		t.add(cells...)
	}
	if err := t.write(a); err != nil {
		return err
	}
	if marked {
		_, err := fmt.Fprintln(a.Out, "! costs more to spend than it is worth at this fee rate")
		return err
	}
	return nil
}
