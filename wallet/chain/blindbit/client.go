package blindbit

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/btcsuite/btcd/btcec/v2"

	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

// maxBody bounds an answer: a mainnet block's tweaks (a few thousand 68-byte strings) fit
// many times over.
const maxBody = 16 << 20

// MaxTweaks bounds the tweaks of one block: more than a block's transactions could ever be.
const MaxTweaks = 100_000

// ErrBadURL marks a tweak-server URL that cannot be used.
var ErrBadURL = errors.New("bad tweak server URL")

// Options tune a Client.
type Options struct {
	// Proxy is a SOCKS5 proxy URL (socks5://HOST:PORT), "" for none.
	Proxy string
	// Timeout bounds one request; zero means 30 seconds.
	Timeout time.Duration
}

// Client talks to one tweak server. It is safe for concurrent use.
type Client struct {
	base   string
	name   string
	client *http.Client
}

// New makes a client for the server at rawURL (http:// or https://, with an optional path
// prefix). It does not connect.
func New(rawURL string, o Options) (*Client, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("%w %q: use http(s)://HOST[:PORT][/PATH]", ErrBadURL, netutil.MaskURL(rawURL))
	}
	timeout := o.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	tr := &http.Transport{Proxy: nil}
	if o.Proxy != "" {
		d, err := netutil.NewDialer(o.Proxy)
		if err != nil {
			return nil, err
		}
		tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
			return d.DialContext(ctx, network, addr)
		}
	}
	return &Client{base: strings.TrimRight(rawURL, "/"), name: netutil.MaskURL(rawURL),
		client: &http.Client{Timeout: timeout, Transport: tr}}, nil
}

// Name is the URL with any password masked.
func (c *Client) Name() string { return c.name }

func (c *Client) get(ctx context.Context, path string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: GET %s: %v", chain.ErrUnreachable, c.name, path, err)
	}
	resp, err := c.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: GET %s: %v", chain.ErrUnreachable, c.name, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: GET %s: %v", chain.ErrUnreachable, c.name, path, err)
	}
	if len(data) > maxBody {
		return nil, fmt.Errorf("%w: %s: GET %s: the answer is larger than %d MiB", chain.ErrUnreachable, c.name, path, maxBody>>20)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%w: %s: GET %s: HTTP %d", chain.ErrUnreachable, c.name, path, resp.StatusCode)
	}
	return data, nil
}

// TweakHeight asks the server how far it has indexed.
func (c *Client) TweakHeight(ctx context.Context) (int32, error) {
	data, err := c.get(ctx, "/block-height")
	if err != nil {
		return 0, err
	}
	h, err := ParseHeight(data)
	if err != nil {
		return 0, fmt.Errorf("%w: %s: /block-height: %v", chain.ErrUnreachable, c.name, err)
	}
	return h, nil
}

// Tweaks returns the tweak data of the block at height.
func (c *Client) Tweaks(ctx context.Context, height int32) ([][33]byte, error) {
	if height < 0 {
		return nil, fmt.Errorf("%s: block height %d is negative", c.name, height)
	}
	path := "/tweaks/" + strconv.Itoa(int(height))
	data, err := c.get(ctx, path)
	if err != nil {
		return nil, err
	}
	t, err := ParseTweaks(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %s: %v", chain.ErrUnreachable, c.name, path, err)
	}
	return t, nil
}

// ParseHeight reads a /block-height answer: {"block_height": N} with 0 <= N < 2^31.
func ParseHeight(data []byte) (int32, error) {
	var v struct {
		Height *int64 `json:"block_height"`
	}
	if err := json.Unmarshal(data, &v); err != nil {
		return 0, fmt.Errorf("not a block height answer: %v", err)
	}
	if v.Height == nil || *v.Height < 0 || *v.Height > 1<<31-1 {
		return 0, errors.New("no valid block_height")
	}
	return int32(*v.Height), nil
}

// ParseTweaks reads a /tweaks answer: a JSON array of 66-character hex strings, each a
// compressed point on secp256k1 (null is read as no tweaks). Anything else fails as a whole.
func ParseTweaks(data []byte) ([][33]byte, error) {
	var raw []string
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("not a list of tweaks: %v", err)
	}
	if len(raw) > MaxTweaks {
		return nil, fmt.Errorf("%d tweaks, more than a block can hold", len(raw))
	}
	out := make([][33]byte, len(raw))
	for i, s := range raw {
		b, err := hex.DecodeString(s)
		if err != nil || len(b) != 33 {
			return nil, fmt.Errorf("tweak %d is not 33 bytes of hex", i)
		}
		if _, err := btcec.ParsePubKey(b); err != nil {
			return nil, fmt.Errorf("tweak %d is not a curve point: %v", i, err)
		}
		out[i] = [33]byte(b)
	}
	return out, nil
}

var _ chain.TweakSource = (*Client)(nil)
