package btcd

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
)

// errRPCNoTxInfo is btcd's code for "no information about this transaction or address"
// (btcjson.ErrRPCNoTxInfo).
const errRPCNoTxInfo = -5

// RPCError is the node's error answer to one command: btcd's code and message. Its text is
// "CODE: MESSAGE", as btcd's own client writes it.
type RPCError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

func (e *RPCError) Error() string { return strconv.Itoa(e.Code) + ": " + e.Message }

// request is one JSON-RPC command: a method and its positional parameters, written as btcd's
// docs/json_rpc_api.md lists them.
type request struct {
	method string
	params []any
}

// cmd builds a request; a nil params list is sent as [].
func cmd(method string, params ...any) request {
	if params == nil {
		params = []any{}
	}
	return request{method: method, params: params}
}

// wireRequest is a request as it goes on the wire inside a batch. btcd answers a batch only
// to JSON-RPC 2.0 requests, so each one says "2.0".
type wireRequest struct {
	JSONRPC string `json:"jsonrpc"`
	Method  string `json:"method"`
	Params  []any  `json:"params"`
	ID      int    `json:"id"`
}

// wireResponse is one answer of a batch. A 2.0 answer carries result or error; btcd also
// writes "result": null beside an error.
type wireResponse struct {
	Result json.RawMessage `json:"result"`
	Error  *RPCError       `json:"error"`
	ID     *int            `json:"id"`
}

// encodeBatch writes calls as one JSON array; the id of calls[i] is i+1.
func encodeBatch(calls []*call) ([]byte, error) {
	reqs := make([]wireRequest, len(calls))
	for i, c := range calls {
		reqs[i] = wireRequest{JSONRPC: "2.0", Method: c.cmd.method, Params: c.cmd.params, ID: i + 1}
	}
	return json.Marshal(reqs)
}

// decodeBatch reads the node's answer to encodeBatch(calls) and fills each call's out or err.
// Answers may come in any order; one missing, duplicated or with an unknown id fails the
// whole exchange, and so does a result that does not decode into its call's out.
func decodeBatch(body []byte, calls []*call) error {
	var resps []wireResponse
	if err := json.Unmarshal(body, &resps); err != nil {
		return fmt.Errorf("malformed batch answer: %w", err)
	}
	got := make([]bool, len(calls))
	for _, r := range resps {
		if r.ID == nil || *r.ID < 1 || *r.ID > len(calls) || got[*r.ID-1] {
			return errors.New("the batch answer has an unknown or repeated id")
		}
		i := *r.ID - 1
		got[i] = true
		c := calls[i]
		if r.Error != nil {
			c.err = r.Error
			continue
		}
		if c.out != nil && len(r.Result) > 0 {
			if err := json.Unmarshal(r.Result, c.out); err != nil {
				return fmt.Errorf("malformed answer to %s: %w", c.cmd.method, err)
			}
		}
	}
	for i, ok := range got {
		if !ok {
			return fmt.Errorf("no answer to %s in the batch", calls[i].cmd.method)
		}
	}
	return nil
}

// bestBlock is getbestblock's answer.
type bestBlock struct {
	Hash   string `json:"hash"`
	Height int32  `json:"height"`
}

// blockHeaderVerbose is the part of getblockheader's verbose answer the backend reads.
type blockHeaderVerbose struct {
	Hash   string `json:"hash"`
	Height int32  `json:"height"`
}

// blockVerbose is the part of getblock's answer at verbosity 1 the backend reads.
type blockVerbose struct {
	Hash string   `json:"hash"`
	Tx   []string `json:"tx"`
}
