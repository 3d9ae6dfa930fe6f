package main

import (
	"fmt"
	"strconv"
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
func (a *App) printHistory(rows []historyJSON) error {
	if len(rows) == 0 {
		_, err := fmt.Fprintln(a.Out, "no transactions yet")
		return err
	}
	cols := []string{"TIME (" + a.zoneName() + ")", "AMOUNT", "FEE", "STATUS", "CONF", "TXID", "LABEL"}
	fiatCol := rows[0].FiatText != ""
	if fiatCol {
		cols = append(cols, "VALUE")
	}
	t := newTable(cols...)
	t.alignRight(1, 2, 4)
	for _, h := range rows {
		ts, fee := "", ""
		if h.Time != nil {
			ts = a.fmtTime(*h.Time)
		}
		if h.Fee != nil {
			fee = a.fmtAmount(*h.Fee)
		}
		amt := stylePlain
		switch {
		case h.Amount > 0:
			amt = styleIn
		case h.Amount < 0:
			amt = styleOut
		}
		row := stylePlain
		switch h.Status {
		case "pending":
			row = styleDim
		case "replaced", "conflicted":
			row, amt = styleDim, styleDim
		}
		cells := []cell{txt(ts).in(row), txt(a.fmtSignedAmount(h.Amount)).in(amt), txt(fee).in(row), txt(h.Status).in(row),
			txt(strconv.Itoa(int(h.Confirmations))).in(row), txt(h.TxID), txt(h.Label)}
		if fiatCol {
			cells = append(cells, txt(h.FiatText))
		}
		t.add(cells...)
	}
	return t.write(a)
}

// printUtxos shows coins in a table; a coin that costs more to spend than it holds is marked !,
// frozen coins are dim, unconfirmed ones have a dim 0.
func (a *App) printUtxos(coins []utxoJSON) error {
	if len(coins) == 0 {
		_, err := fmt.Fprintln(a.Out, "no coins")
		return err
	}
	cols := []string{"OUTPOINT", "VALUE", "CONF", "SPEND COST", "FROZEN", "ADDRESS", "LABEL"}
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
			row, frozen = styleDim, "yes"
		}
		conf := txt(strconv.Itoa(int(j.Confirmations))).in(row)
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
