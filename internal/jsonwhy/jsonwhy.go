// Package jsonwhy says in a person's words why a piece of JSON did not decode, for the error
// messages of commands that read JSON from the user (batch files, labels, backups): "unexpected
// end of JSON input" and "invalid character 'o' in literal null" are encoding/json's words.
package jsonwhy

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Describe says why err (from encoding/json) refused the text: it ends too early, is not JSON
// at some character, holds a value of the wrong kind, or has a field nobody reads. Other errors
// are returned as they are, without encoding/json's "json: " prefix.
func Describe(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case err == nil:
		return ""
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF), err.Error() == "unexpected end of JSON input":
		return "the JSON ends too early (cut short?)"
	case errors.As(err, &syn):
		return fmt.Sprintf("not valid JSON (at character %d)", syn.Offset)
	case errors.As(err, &typ):
		// Value is a JSON kind ("string"), or "number 1e0" for a number the field cannot hold.
		got := kind(typ.Value)
		if n, ok := strings.CutPrefix(typ.Value, "number "); ok {
			got = n
		}
		if typ.Field != "" {
			return fmt.Sprintf("%q should be %s, not %s", typ.Field, kind(typ.Type.Kind().String()), got)
		}
		return fmt.Sprintf("a JSON %s where %s belongs", typ.Value, kind(typ.Type.Kind().String()))
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	if f, ok := strings.CutPrefix(msg, "unknown field "); ok {
		return "unknown field " + f + " (check its spelling)"
	}
	return msg
}

// kind names a JSON value kind or a Go kind for people: "a number", "a string", "an object".
func kind(k string) string {
	switch {
	case strings.HasPrefix(k, "int"), strings.HasPrefix(k, "uint"):
		return "a whole number"
	case strings.HasPrefix(k, "float"), k == "number":
		return "a number"
	case k == "string":
		return "a string"
	case k == "bool":
		return "true or false"
	case k == "object", k == "map", k == "struct":
		return "an object"
	case k == "array", k == "slice":
		return "a list"
	}
	return k
}
