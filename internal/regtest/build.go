package regtest

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// btcdModule is the module whose pinned version is built.
const btcdModule = "github.com/btcsuite/btcd"

var (
	buildOnce sync.Once
	buildPath string
	buildErr  error
)

// BuildBtcd returns the path of a btcd binary built from the version go.mod pins. The first
// call in a test binary builds it (about 24 s cold on 2 cores) into the user cache, keyed by
// go.mod's btcd line, the Go version and the platform; later calls and later runs reuse it.
func BuildBtcd(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		var dir string
		dir, buildErr = cacheDir()
		if buildErr == nil {
			buildPath, buildErr = buildCached(dir)
		}
	})
	if buildErr != nil {
		t.Fatalf("build btcd: %v", buildErr)
	}
	return buildPath
}

// BuildBtcdTo builds btcd and btcctl into dir (for the demo scripts and tools that are not
// tests) and returns the btcd path.
func BuildBtcdTo(dir string) (string, error) {
	root, err := ModuleRoot()
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "btcd")
	if err := goBuild(root, bin, btcdModule); err != nil {
		return "", err
	}
	if err := goBuild(root, filepath.Join(dir, "btcctl"), btcdModule+"/cmd/btcctl"); err != nil {
		return "", err
	}
	return bin, nil
}

// buildCached builds btcd into the cache directory unless it is there already. It builds to a
// temporary name and renames, so test binaries of several packages running at once never see
// a half-written file.
func buildCached(dir string) (string, error) {
	bin := filepath.Join(dir, "btcd")
	if fi, err := os.Stat(bin); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
		return bin, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	root, err := ModuleRoot()
	if err != nil {
		return "", err
	}
	tmp, err := os.CreateTemp(dir, "btcd-*.tmp")
	if err != nil {
		return "", err
	}
	tmp.Close()
	defer os.Remove(tmp.Name())
	if err := goBuild(root, tmp.Name(), btcdModule); err != nil {
		return "", err
	}
	if err := os.Rename(tmp.Name(), bin); err != nil {
		return "", err
	}
	return bin, nil
}

// cacheDir is <user cache>/satchel-test/btcd-<version>-<key>.
func cacheDir() (string, error) {
	root, err := ModuleRoot()
	if err != nil {
		return "", err
	}
	line, err := requireLine(filepath.Join(root, "go.mod"), btcdModule)
	if err != nil {
		return "", err
	}
	fields := strings.Fields(line)
	version := fields[len(fields)-1]
	sum := sha256.Sum256([]byte(line + "\n" + runtime.Version() + "\n" + runtime.GOOS + "/" +
		runtime.GOARCH))
	base, err := os.UserCacheDir()
	if err != nil {
		base = os.TempDir()
	}
	return filepath.Join(base, "satchel-test",
		"btcd-"+version+"-"+hex.EncodeToString(sum[:6])), nil
}

// requireLine finds "module version" in go.mod's require lines.
func requireLine(gomod, module string) (string, error) {
	data, err := os.ReadFile(gomod)
	if err != nil {
		return "", err
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		f := strings.Fields(strings.TrimPrefix(strings.TrimSpace(sc.Text()), "require "))
		if len(f) >= 2 && f[0] == module {
			return f[0] + " " + f[1], nil
		}
	}
	return "", fmt.Errorf("%s: no require line for %s", gomod, module)
}

// ModuleRoot finds the directory of satchel's go.mod by walking up from the working
// directory (a test runs in its package's directory).
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

// goBuild runs `go build -o out pkg` in the module root, with the local toolchain only.
func goBuild(root, out, pkg string) error {
	goBin, err := goTool()
	if err != nil {
		return err
	}
	cmd := exec.Command(goBin, "build", "-o", out, pkg)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local")
	if msg, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %w\n%s", pkg, err, msg)
	}
	return nil
}

// goTool is the go command on PATH; `go test` puts its own GOROOT/bin first there, so tests
// build with the toolchain that runs them.
func goTool() (string, error) { return exec.LookPath("go") }
