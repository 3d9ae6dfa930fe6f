package electrum

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/satchel-wallet/satchel/internal/clip"
)

// call is one JSON-RPC request in an exchange and, afterwards, its answer.
type call struct {
	method string
	params []any
	// result is the raw result; err the server's error for this call.
	result json.RawMessage
	err    *rpcError
}

// rpcError is a JSON-RPC error answer.
type rpcError struct {
	Code    int
	Message string
}

func (e *rpcError) Error() string {
	if e.Code != 0 {
		return fmt.Sprintf("code %d: %s", e.Code, e.Message)
	}
	return e.Message
}

// request is a JSON-RPC 2.0 request as sent.
type request struct {
	JSONRPC string `json:"jsonrpc"`
	Method  string `json:"method"`
	Params  []any  `json:"params"`
	ID      uint64 `json:"id"`
}

// message is one response or notification read from the server.
type message struct {
	// id is the response's id; hasID is false for a notification (or a null id).
	id     uint64
	hasID  bool
	method string
	result json.RawMessage
	err    *rpcError
}

// errBadLine marks a line that is not a JSON-RPC response or notification.
var errBadLine = errors.New("not a JSON-RPC message")

// parseLine reads one line from the server: a response, a notification or a batch of
// responses (a JSON array).
func parseLine(line []byte) ([]message, error) {
	line = bytes.TrimSpace(line)
	if len(line) == 0 {
		return nil, fmt.Errorf("%w: empty line", errBadLine)
	}
	var raws []json.RawMessage
	if line[0] == '[' {
		if err := json.Unmarshal(line, &raws); err != nil {
			return nil, fmt.Errorf("%w: %v", errBadLine, err)
		}
		if len(raws) == 0 {
			return nil, fmt.Errorf("%w: empty batch", errBadLine)
		}
	} else {
		raws = []json.RawMessage{line}
	}
	out := make([]message, 0, len(raws))
	for _, r := range raws {
		m, err := parseMessage(r)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

func parseMessage(raw json.RawMessage) (message, error) {
	var m struct {
		ID     json.RawMessage `json:"id"`
		Method *string         `json:"method"`
		Result json.RawMessage `json:"result"`
		Error  json.RawMessage `json:"error"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return message{}, fmt.Errorf("%w: %v", errBadLine, err)
	}
	var out message
	if len(m.ID) > 0 && string(m.ID) != "null" {
		id, err := strconv.ParseUint(string(m.ID), 10, 64)
		if err != nil {
			return message{}, fmt.Errorf("%w: id %s is not one satchel sent", errBadLine, clip.Text(string(m.ID), 80))
		}
		out.id, out.hasID = id, true
	}
	if m.Method != nil {
		if out.hasID {
			return message{}, fmt.Errorf("%w: the server sent a request (%s)", errBadLine, clip.Text(*m.Method, 80))
		}
		out.method = *m.Method
		return out, nil
	}
	if len(m.Error) > 0 && string(m.Error) != "null" {
		e, err := parseRPCError(m.Error)
		if err != nil {
			return message{}, err
		}
		out.err = e
		return out, nil
	}
	if m.Result == nil {
		return message{}, fmt.Errorf("%w: neither result nor error", errBadLine)
	}
	out.result = m.Result
	return out, nil
}

// parseRPCError reads an error member: an object {code, message} or, from some servers, a
// bare string.
func parseRPCError(raw json.RawMessage) (*rpcError, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return &rpcError{Message: s}, nil
	}
	var e struct {
		Code    *json.Number `json:"code"`
		Message *string      `json:"message"`
	}
	if err := json.Unmarshal(raw, &e); err != nil || e.Message == nil {
		return nil, fmt.Errorf("%w: unreadable error %s", errBadLine, clip.Text(string(raw), 80))
	}
	out := &rpcError{Message: *e.Message}
	if e.Code != nil {
		if n, err := strconv.Atoi(e.Code.String()); err == nil {
			out.Code = n
		}
	}
	return out, nil
}
