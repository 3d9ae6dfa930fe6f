package slip39

import (
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
	"io"
)

// Indices SLIP-0039 reserves for the digest and the secret, so that no share can sit at x=0
// and replace the secret by its own value.
const (
	digestIndex = 254
	secretIndex = 255
	digestLen   = 4
)

// digest is the first four bytes of HMAC-SHA256(key=r, msg=secret).
func digest(r, secret []byte) []byte {
	m := hmac.New(sha256.New, r)
	m.Write(secret)
	return m.Sum(nil)[:digestLen]
}

// splitSecret is the specification's SplitSecret: n shares with indices 0..n-1 of which any
// threshold recover secret. With threshold 1 every share is the secret itself.
func splitSecret(threshold, n int, secret []byte, rnd io.Reader) ([][]byte, error) {
	if threshold < 1 || threshold > n || n > maxShares {
		return nil, fmt.Errorf("%w: threshold %d of %d shares", ErrBadScheme, threshold, n)
	}
	shares := make([][]byte, n)
	if threshold == 1 {
		for i := range shares {
			shares[i] = append([]byte(nil), secret...)
		}
		return shares, nil
	}
	size := len(secret)
	// The digest share D = HMAC(R, S)[:4] || R, with R random.
	d := make([]byte, size)
	if _, err := io.ReadFull(rnd, d[digestLen:]); err != nil {
		return nil, fmt.Errorf("read randomness: %w", err)
	}
	copy(d, digest(d[digestLen:], secret))

	base := make([]point, 0, threshold)
	for i := range threshold - 2 {
		y := make([]byte, size)
		if _, err := io.ReadFull(rnd, y); err != nil {
			return nil, fmt.Errorf("read randomness: %w", err)
		}
		shares[i] = y
		base = append(base, point{x: byte(i), y: y})
	}
	base = append(base, point{x: digestIndex, y: d}, point{x: secretIndex, y: secret})
	for i := threshold - 2; i < n; i++ {
		shares[i] = interpolate(base, byte(i))
	}
	clear(d)
	return shares, nil
}

// recoverSecret is the specification's RecoverSecret: the secret at index 255 through exactly
// threshold points, checked against the digest at index 254.
func recoverSecret(threshold int, points []point) ([]byte, error) {
	if threshold == 1 {
		return append([]byte(nil), points[0].y...), nil
	}
	secret := interpolate(points, secretIndex)
	d := interpolate(points, digestIndex)
	defer clear(d)
	if !hmac.Equal(digest(d[digestLen:], secret), d[:digestLen]) {
		clear(secret)
		return nil, ErrInvalidDigest
	}
	return secret, nil
}
