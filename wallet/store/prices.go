package store

import (
	"encoding/json"
	"time"
)

// pricePrefix is the meta key prefix of the price a payment was made at: "price:"+txid (hex).
// Like schedules they need no bucket (and no migration) of their own.
const pricePrefix = "price:"

// PriceRecord is the price of bitcoin satchel used when it made a payment: micro-units of each
// currency per bitcoin, the source's time and its name.
type PriceRecord struct {
	Time   time.Time        `json:"time"`
	Source string           `json:"source"`
	Rates  map[string]int64 `json:"rates"`
}

// Price returns the price kept with a payment; ErrNotFound when none was.
func (t *Txn) Price(txid string) (PriceRecord, error) {
	var p PriceRecord
	err := t.getJSON(bucketMeta, []byte(pricePrefix+txid), &p)
	return p, err
}

// PutPrice keeps the price of a payment.
func (t *Txn) PutPrice(txid string, p PriceRecord) error {
	return t.putJSON(bucketMeta, []byte(pricePrefix+txid), p)
}

// Prices returns every kept price by txid.
func (t *Txn) Prices() (map[string]PriceRecord, error) {
	out := map[string]PriceRecord{}
	c := t.bucket(bucketMeta).Cursor()
	p := []byte(pricePrefix)
	for k, v := c.Seek(p); k != nil && len(k) > len(p) && string(k[:len(p)]) == pricePrefix; k, v = c.Next() {
		var r PriceRecord
		if err := json.Unmarshal(v, &r); err != nil {
			continue // a display only: one unreadable record hides one value, nothing more
		}
		out[string(k[len(p):])] = r
	}
	return out, nil
}
