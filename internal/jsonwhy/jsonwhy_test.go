package jsonwhy

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestDescribe(t *testing.T) {
	type rec struct {
		Amount int64  `json:"amount"`
		Label  string `json:"label"`
	}
	decode := func(s string) error {
		var r rec
		dec := json.NewDecoder(strings.NewReader(s))
		dec.DisallowUnknownFields()
		return dec.Decode(&r)
	}
	unmarshal := func(s string) error {
		var r rec
		return json.Unmarshal([]byte(s), &r)
	}
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"cut short (decoder)", decode(`{"amount":`), "the JSON ends too early (cut short?)"},
		{"cut short (unmarshal)", unmarshal(`{"amount":`), "the JSON ends too early (cut short?)"},
		{"not JSON", unmarshal(`nope`), "not valid JSON (at character 2)"},
		{"wrong kind", unmarshal(`{"amount":"x"}`), `"amount" should be a whole number, not a string`},
		{"a number the field cannot hold", unmarshal(`{"amount":1.5}`), `"amount" should be a whole number, not 1.5`},
		{"whole document of the wrong kind", func() error { var n float64; return json.Unmarshal([]byte(`"x"`), &n) }(), "a JSON string where a number belongs"},
		{"unknown field", decode(`{"amout":1}`), `unknown field "amout" (check its spelling)`},
		{"other errors pass through", errors.New("json: something else"), "something else"},
		{"none", nil, ""},
	} {
		if got := Describe(tc.err); got != tc.want {
			t.Errorf("%s: got %q, want %q (from %v)", tc.name, got, tc.want, tc.err)
		}
		if got := Describe(tc.err); strings.Contains(got, "json:") || strings.Contains(got, "invalid character") {
			t.Errorf("%s: Go's words in %q", tc.name, got)
		}
	}
}
