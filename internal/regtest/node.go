package regtest

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/btcsuite/btcd/rpcclient"
)

// RPC credentials of every harness node. They only guard a loopback port of a throwaway node.
const (
	RPCUser = "satchel"
	RPCPass = "regtest-pass"
)

// Timing of starts and stops.
const (
	startTimeout = 30 * time.Second
	stopTimeout  = 10 * time.Second
	startTries   = 3 // fresh ports after a lost race for the previous ones
)

// InitialBlocks is how many blocks Start mines by default: 100 to mature the first coinbase
// plus 20, so the faucet holds 21 mature coins of 50 BTC and sends rarely chain.
const InitialBlocks = 120

// Node is a running btcd regtest node owned by one test.
type Node struct {
	t       testing.TB
	bin     string
	dir     string
	rpcPort int
	p2pPort int
	cfg     config

	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{} // closed when the process has exited
	rpc  *rpcclient.Client
}

type config struct {
	extraArgs []string
	noIndex   bool
	blocks    int
}

// Option changes how Start runs the node.
type Option func(*config)

// WithArgs adds btcd flags, such as "--minrelaytxfee=0.00002".
func WithArgs(args ...string) Option {
	return func(c *config) { c.extraArgs = append(c.extraArgs, args...) }
}

// WithoutIndexes starts the node without --txindex --addrindex, to test how a client reports
// a node it cannot use.
func WithoutIndexes() Option { return func(c *config) { c.noIndex = true } }

// WithBlocks sets how many blocks Start mines (default InitialBlocks). Below 101 the faucet
// has no mature coin and Send fails.
func WithBlocks(n int) Option { return func(c *config) { c.blocks = n } }

// Start builds btcd if needed, starts a regtest node in a temporary directory on free
// loopback ports, waits for its first RPC answer and mines the initial blocks to the faucet.
// The node is stopped when the test ends, pass or fail.
func Start(t testing.TB, opts ...Option) *Node {
	t.Helper()
	cfg := config{blocks: InitialBlocks}
	for _, o := range opts {
		o(&cfg)
	}
	n := &Node{t: t, bin: BuildBtcd(t), dir: t.TempDir(), cfg: cfg}
	// Registered after TempDir, so it runs before the directory is removed.
	t.Cleanup(func() {
		if t.Failed() {
			n.dumpLog()
		}
		n.Stop()
	})
	var err error
	for try := 0; try < startTries; try++ {
		if n.rpcPort, n.p2pPort, err = freePorts(); err != nil {
			continue
		}
		if err = n.launch(); err == nil {
			break
		}
	}
	if err != nil {
		t.Fatalf("start btcd: %v", err)
	}
	if cfg.blocks > 0 {
		n.Mine(t, cfg.blocks)
	}
	return n
}

// Restart stops the node and starts it again on the same ports, so URL stays valid. btcd
// wipes its regtest chain on every start: the node comes back with a new chain and the
// initial blocks mined again.
func (n *Node) Restart(t testing.TB) {
	t.Helper()
	n.Stop()
	if err := n.launch(); err != nil {
		t.Fatalf("restart btcd: %v", err)
	}
	if n.cfg.blocks > 0 {
		n.Mine(t, n.cfg.blocks)
	}
}

func (n *Node) args() []string {
	data := filepath.Join(n.dir, "data")
	args := []string{
		"--regtest",
		"-C", filepath.Join(n.dir, "btcd.conf"),
		"--datadir=" + data,
		"--logdir=" + filepath.Join(n.dir, "logs"),
		"--rpcuser=" + RPCUser, "--rpcpass=" + RPCPass,
		"--rpclisten=" + n.RPCAddr(),
		"--listen=127.0.0.1:" + strconv.Itoa(n.p2pPort),
		"--notls",
		"--miningaddr=" + Faucet.Address,
		"--rejectnonstd", "--norelaypriority", "--limitfreerelay=0",
		"--utxocachemaxsize=16",
	}
	if !n.cfg.noIndex {
		args = append(args, "--txindex", "--addrindex")
	}
	return append(args, n.cfg.extraArgs...)
}

// launch starts the process and waits for an RPC answer.
func (n *Node) launch() error {
	// An existing empty config keeps btcd from creating ~/.btcd/btcd.conf.
	if err := os.WriteFile(filepath.Join(n.dir, "btcd.conf"), nil, 0o600); err != nil {
		return err
	}
	logf, err := os.OpenFile(n.LogPath(), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	cmd := exec.Command(n.bin, n.args()...)
	cmd.Dir = n.dir
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = sysProcAttr()
	if err := cmd.Start(); err != nil {
		logf.Close()
		return err
	}
	done := make(chan struct{})
	go func() {
		cmd.Wait()
		logf.Close()
		close(done)
	}()
	n.mu.Lock()
	n.cmd, n.done = cmd, done
	n.mu.Unlock()

	if err := n.waitRPC(done); err != nil {
		n.Kill()
		return err
	}
	return nil
}

// waitRPC polls getblockcount until it answers, the process exits or startTimeout passes.
func (n *Node) waitRPC(exited <-chan struct{}) error {
	body := []byte(`{"jsonrpc":"1.0","id":1,"method":"getblockcount","params":[]}`)
	client := http.Client{Timeout: time.Second}
	deadline := time.Now().Add(startTimeout)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return fmt.Errorf("btcd exited during start-up: %s", n.logTail(20))
		default:
		}
		req, _ := http.NewRequest(http.MethodPost, "http://"+n.RPCAddr(), bytes.NewReader(body))
		req.SetBasicAuth(RPCUser, RPCPass)
		if resp, err := client.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("btcd did not answer RPC within %s: %s", startTimeout, n.logTail(20))
}

// Stop ends the node with SIGTERM, waits for it, and kills it if it lingers. It may be
// called more than once and before the test's cleanup.
func (n *Node) Stop() { n.halt(syscall.SIGTERM) }

// Kill ends the node at once with SIGKILL, as a crash would.
func (n *Node) Kill() { n.halt(syscall.SIGKILL) }

func (n *Node) halt(sig syscall.Signal) {
	n.mu.Lock()
	cmd, done, rpc := n.cmd, n.done, n.rpc
	n.cmd, n.rpc = nil, nil
	n.mu.Unlock()
	if rpc != nil {
		rpc.Shutdown()
	}
	if cmd == nil {
		return
	}
	_ = cmd.Process.Signal(sig)
	select {
	case <-done:
	case <-time.After(stopTimeout):
		_ = cmd.Process.Kill()
		<-done
	}
}

// URL is the node's address for satchel's --backend: btcd://USER:PASS@127.0.0.1:PORT.
func (n *Node) URL() string {
	return "btcd://" + RPCUser + ":" + RPCPass + "@" + n.RPCAddr()
}

// RPCAddr is the loopback HOST:PORT of the node's RPC server.
func (n *Node) RPCAddr() string { return "127.0.0.1:" + strconv.Itoa(n.rpcPort) }

// P2PAddr is the loopback HOST:PORT the node listens on for peers (it serves compact block
// filters).
func (n *Node) P2PAddr() string { return "127.0.0.1:" + strconv.Itoa(n.p2pPort) }

// Dir is the node's working directory (data, logs, config).
func (n *Node) Dir() string { return n.dir }

// LogPath is the file collecting the node's output.
func (n *Node) LogPath() string { return filepath.Join(n.dir, "btcd.out") }

// RPC is an rpcclient connected to the node (HTTP POST, no TLS). It is made on first use and
// shut down when the node stops.
func (n *Node) RPC() *rpcclient.Client {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.rpc == nil {
		c, err := rpcclient.New(&rpcclient.ConnConfig{
			Host: n.RPCAddr(), User: RPCUser, Pass: RPCPass, Params: Net.Name,
			HTTPPostMode: true, DisableTLS: true,
		}, nil)
		if err != nil {
			// HTTP POST mode only fails on a bad config, which is fixed above.
			panic(fmt.Sprintf("regtest: rpc client: %v", err))
		}
		n.rpc = c
	}
	return n.rpc
}

// logTail returns the last lines of the node's output, for failure messages.
func (n *Node) logTail(lines int) string {
	data, err := os.ReadFile(n.LogPath())
	if err != nil {
		return "(no log: " + err.Error() + ")"
	}
	var all []string
	for _, l := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
		// One line per mined block drowns everything else.
		if !strings.Contains(l, "Block submitted via CPU miner accepted") {
			all = append(all, l)
		}
	}
	if len(all) > lines {
		all = all[len(all)-lines:]
	}
	return strings.Join(all, "\n")
}

func (n *Node) dumpLog() {
	n.t.Logf("btcd output (%s), last lines:\n%s", n.LogPath(), n.logTail(40))
}

// freePorts picks two loopback ports nobody listens on. Another process may take them before
// btcd binds; Start then tries again with new ones.
func freePorts() (int, int, error) {
	var ports [2]int
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	for i := range ports {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return 0, 0, err
		}
		ls = append(ls, l)
		ports[i] = l.Addr().(*net.TCPAddr).Port
	}
	if ports[0] == ports[1] {
		return 0, 0, errors.New("got the same port twice")
	}
	return ports[0], ports[1], nil
}
