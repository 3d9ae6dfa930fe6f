package netutil

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"time"

	"github.com/satchel-wallet/satchel/wallet/chain"
)

// ErrBadURL marks a backend or proxy URL that cannot be used, so the CLI can report a usage
// error rather than an unreachable server. It is chain.ErrBadURL, the class every backend's
// URL errors share.
var ErrBadURL = chain.ErrBadURL

// ErrWrongNetwork means the server follows another chain than the wallet's (its genesis block
// differs). It comes wrapped with chain.ErrUnreachable: the backend cannot serve this wallet.
var ErrWrongNetwork = chain.ErrWrongNetwork

// Kind says how a call to a server failed, so a user knows whether to check the address, wait,
// or distrust the server.
type Kind string

// The ways a call fails.
const (
	// KindUnreachable: no connection could be made (refused, no route, DNS, proxy, TLS).
	KindUnreachable Kind = "unreachable"
	// KindSlow: the server did not answer within the time limit.
	KindSlow Kind = "slow"
	// KindCancelled: the caller gave up before the answer came.
	KindCancelled Kind = "cancelled"
	// KindDropped: the connection closed in the middle of an answer.
	KindDropped Kind = "dropped"
	// KindRefused: the server answered with an error (an HTTP status, a JSON-RPC error).
	KindRefused Kind = "refused"
	// KindBadAnswer: the answer was malformed or contradicts itself or earlier answers.
	KindBadAnswer Kind = "bad answer"
)

// Error is a failed call to a server. It wraps chain.ErrUnreachable, so every such failure
// exits the CLI with the backend code, and its cause, so errors.Is still finds
// context.DeadlineExceeded and the like.
type Error struct {
	// Server is the server's URL with any password masked.
	Server string
	// Op is what was asked: "GET /blocks/tip/height", "blockchain.transaction.get".
	Op   string
	Kind Kind
	// Detail is the server's own words or what was wrong with the answer.
	Detail string
	// Timeout is the time limit that ran out, for KindSlow.
	Timeout time.Duration
	Err     error
}

func (e *Error) Error() string {
	var what string
	switch e.Kind {
	case KindUnreachable:
		what = "cannot reach the server"
	case KindSlow:
		what = "no answer in time"
		if e.Timeout > 0 {
			what = "no answer within " + e.Timeout.String()
		}
	case KindCancelled:
		what = "cancelled"
	case KindDropped:
		what = "the connection dropped"
	case KindRefused:
		what = "refused"
	case KindBadAnswer:
		what = "bad answer"
	default:
		what = string(e.Kind)
	}
	s := e.Server + ": "
	if e.Op != "" {
		s += e.Op + ": "
	}
	s += what
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	if e.Err != nil && e.Kind != KindBadAnswer && e.Kind != KindRefused {
		s += " (" + e.Err.Error() + ")"
	}
	return s
}

// Unwrap gives chain.ErrUnreachable and the cause.
func (e *Error) Unwrap() []error {
	if e.Err == nil {
		return []error{chain.ErrUnreachable}
	}
	return []error{chain.ErrUnreachable, e.Err}
}

// Endpoint is one server as errors name it. Backends build their errors through it so every
// message carries the masked URL and the time limit.
type Endpoint struct {
	// Name is the masked URL.
	Name string
	// Timeout is the per-call limit, quoted when a call runs out of time.
	Timeout time.Duration
}

// Fail classifies a transport error (dial, read, write, timeout) of op.
func (p Endpoint) Fail(op string, err error) error {
	var ne *Error
	if errors.As(err, &ne) {
		return err
	}
	return &Error{Server: p.Name, Op: op, Kind: Classify(err), Timeout: p.Timeout, Err: err}
}

// Refused reports an error answer: an HTTP status or a JSON-RPC error, with the server's text.
func (p Endpoint) Refused(op, detail string) error {
	return &Error{Server: p.Name, Op: op, Kind: KindRefused, Detail: detail}
}

// Bad reports a malformed or inconsistent answer.
func (p Endpoint) Bad(op, format string, args ...any) error {
	return &Error{Server: p.Name, Op: op, Kind: KindBadAnswer, Detail: fmt.Sprintf(format, args...)}
}

// WrongNetwork reports a server on another chain.
func (p Endpoint) WrongNetwork(got, want string) error {
	return &Error{Server: p.Name, Op: "check network", Kind: KindBadAnswer,
		Detail: fmt.Sprintf("its genesis block is %s, the wallet's network starts at %s", got, want),
		Err:    ErrWrongNetwork}
}

// Classify tells how a transport error happened.
func Classify(err error) Kind {
	var dial *DialError
	var ne net.Error
	switch {
	case errors.Is(err, context.Canceled):
		return KindCancelled
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return KindSlow
	case errors.As(err, &dial):
		return KindUnreachable
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, net.ErrClosed),
		errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE),
		errors.Is(err, syscall.ECONNABORTED):
		return KindDropped
	}
	return KindUnreachable
}
